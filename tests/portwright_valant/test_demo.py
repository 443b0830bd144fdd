"""``portwright demo`` (what ``make demo`` runs), as a newcomer runs it: a real process that
starts the sandbox, signs in with password and TOTP in Chromium, lists, books and pulls
outcome measures, checked against the sandbox's own database; run twice, it books once."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from portwright_valant.demo import DEMO_REFERENCE, DemoOptions


def _demo(workspace_state: Path, *options: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PORTWRIGHT_STATE": str(workspace_state), "COLUMNS": "80"}
    env.pop("PORTWRIGHT_SANDBOX_TODAY", None)  # the demo books relative to the real date
    return subprocess.run([str(Path(sys.executable).parent / "portwright"), "demo", *options],
                          env=env, capture_output=True, text=True, timeout=240,
                          stdin=subprocess.DEVNULL, check=False)


def _said(run: subprocess.CompletedProcess[str]) -> str:
    """The run's output with Rich's line wrapping undone."""
    return " ".join(run.stdout.split())


@pytest.mark.browser
def test_demo_tours_the_sandbox_and_books_once_across_reruns(tmp_path: Path) -> None:
    state = tmp_path / "state"
    first = _demo(state)
    assert first.returncode == 0, first.stdout + first.stderr
    options = DemoOptions()
    db = state / "demo" / f"valant-{options.ui_version}-seed{options.seed}.sqlite3"
    assert "new database" in _said(first) and db.is_file()

    with sqlite3.connect(db) as conn:
        patients = conn.execute("SELECT count(*) FROM patients").fetchone()[0]
        booked = conn.execute("SELECT id, patient_id FROM appointments WHERE reference_id = ?",
                              (DEMO_REFERENCE,)).fetchall()
    # every patient listed, through all the list's pages; one appointment booked
    assert f"Patients ({patients} listed" in _said(first)
    assert len(booked) == 1 and f"booked {booked[0][0]} for " in _said(first)
    assert "signed in as admin with password and TOTP" in _said(first)

    second = _demo(state)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "database kept from the last run" in _said(second)
    assert f"found the earlier booking {booked[0][0]}" in _said(second)
    with sqlite3.connect(db) as conn:
        again = conn.execute("SELECT id FROM appointments WHERE reference_id = ?",
                             (DEMO_REFERENCE,)).fetchall()
    assert again == [(booked[0][0],)]
    assert re.search(rf"appointments carrying {DEMO_REFERENCE}: 1\b", _said(second))
    # the outcome measures table fits 80 columns without cutting or breaking a flag
    from portwright.instruments import flags as known_flags

    vocabulary = {getattr(known_flags, name) for name in known_flags.__all__}
    table = second.stdout.split("Outcome measures", 1)[1].split("summary", 1)[0]
    rows = [line.split("│") for line in table.splitlines() if line.startswith("│")]
    shown = {cells[-2].strip() for cells in rows} - {"", "-"}  # the flags column
    assert "…" not in table and shown and shown <= vocabulary


@pytest.mark.parametrize(("option", "said"), [
    (("--ui-version", "2099.9"), "unknown ui_version '2099.9'; expected one of 2025.4, 2026.1"),
    (("--patients", "-3"), "patients must be >= 0"),
])
def test_an_option_the_sandbox_refuses_is_a_usage_error_before_anything_starts(
        tmp_path: Path, option: tuple[str, str], said: str) -> None:
    run = _demo(tmp_path / "state", *option, "--fresh")
    assert run.returncode == 2
    assert f"error: demo: {said}" in _said(run) and "Traceback" not in run.stderr
    assert not (tmp_path / "state" / "demo").exists()  # no database made or removed
