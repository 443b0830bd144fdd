"""``sessions list`` and ``secrets list`` print every name whole, whatever the width.

A script reads them from a pipe (tab-separated, a header line first, nothing but rows on
standard output); a person copies an account or a variable name out of them into the
next command, so a narrow terminal (``COLUMNS=40``) must not cut one to ``vala…``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portwright.auth.credentials import KEY_ENV, load_fernet
from portwright.auth.sessions import SavedSession, SessionVault, StorageSnapshot
from portwright.cli.app import app

ACCOUNT = "front-desk-evening-shift"
VARIABLE = "PORTWRIGHT_SECRET_VALANT_FRONT_DESK_EVENING_SHIFT_PASSWORD"


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty workspace of its own, with no secret from the environment around it;
    returns its state folder."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PORTWRIGHT_ROOT", str(tmp_path))
    monkeypatch.setenv("PORTWRIGHT_STATE", str(tmp_path / "state"))
    monkeypatch.setenv("PORTWRIGHT_SECRETS_FILE", str(tmp_path / "secrets.fernet"))
    for name in list(os.environ):
        if name.startswith("PORTWRIGHT_SECRET_") or name == KEY_ENV:
            monkeypatch.delenv(name)
    return tmp_path / "state"


def test_sessions_list_piped_is_one_whole_row_per_session(workspace: Path) -> None:
    vault = SessionVault(workspace, lambda: load_fernet(workspace, create=True))
    empty = StorageSnapshot(storage_state={"cookies": [], "origins": []})
    vault.save(SavedSession("valant", ACCOUNT, empty, saved_at=1.0))
    result = CliRunner().invoke(app, ["sessions", "list"], env={"COLUMNS": "40"})
    assert result.exit_code == 0, result.output
    header, *rows = result.stdout.splitlines()
    assert header.split("\t") == ["portal", "account", "saved", "last healthy", "cookies"]
    assert [row.split("\t")[:2] for row in rows] == [["valant", ACCOUNT]]


def test_one_damaged_session_file_does_not_hide_the_others(workspace: Path) -> None:
    """A file cut short (or written with a key since replaced) used to fail the whole
    listing: the readable sessions are listed, the damaged one is an error line naming
    it and how to drop it, and the exit code says something needs looking at."""
    vault = SessionVault(workspace, lambda: load_fernet(workspace, create=True))
    empty = StorageSnapshot(storage_state={"cookies": [], "origins": []})
    vault.save(SavedSession("valant", ACCOUNT, empty, saved_at=1.0))
    damaged = vault.save(SavedSession("valant", "biller", empty, saved_at=2.0))
    damaged.write_bytes(damaged.read_bytes()[:40])
    result = CliRunner().invoke(app, ["sessions", "list"], env={"COLUMNS": "40"})
    assert result.exit_code == 1, result.output
    header, *rows = result.stdout.splitlines()
    assert header.split("\t")[:2] == ["portal", "account"]
    assert [row.split("\t")[:2] for row in rows] == [["valant", ACCOUNT]]
    assert f"error: cannot use saved session {damaged}" in result.stderr
    assert "portwright sessions drop valant --account biller" in result.stderr
    assert "Traceback" not in result.stderr


def test_sessions_list_without_sessions_says_so_on_stderr_only(workspace: Path) -> None:
    result = CliRunner().invoke(app, ["sessions", "list"], env={"COLUMNS": "40"})
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == []  # no rows: a `wc -l` or loop sees none
    assert "no saved sessions" in result.stderr
    assert "portwright login" in result.stderr


def test_secrets_list_piped_names_each_variable_whole(
        workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(VARIABLE, "not-shown")
    result = CliRunner().invoke(app, ["secrets", "list", "valant"], env={"COLUMNS": "40"})
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["name\tsource", f"{VARIABLE}\tenvironment"]
    assert "not-shown" not in result.output


def test_doctor_at_a_narrow_terminal_cuts_no_path_short(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parents[3])  # the repository's workspace
    result = CliRunner().invoke(app, ["doctor"], env={"COLUMNS": "40"})
    assert "…" not in result.stdout
    details = "".join(line.split("│")[3].strip() for line in result.stdout.splitlines()
                      if line.count("│") == 4)
    assert sys.executable in details  # the python row names the interpreter whole


def test_era_parse_at_a_narrow_terminal_shows_every_claim_number_whole() -> None:
    sample = Path("/work/shared/reference/x12/835_emedny_sample.x12")
    listed = CliRunner().invoke(app, ["era", "parse", "--json", str(sample)])
    numbers = [p["patientControlNumber"] for r in json.loads(listed.stdout)
               for p in r["payments"]]
    result = CliRunner().invoke(app, ["era", "parse", str(sample)], env={"COLUMNS": "40"})
    assert result.exit_code == 0, result.output
    assert "…" not in result.stdout
    claims = "".join(line.split("│")[1].strip() for line in result.stdout.splitlines()
                     if line.count("│") == 6)  # the claim column, folded onto lines
    for number in numbers:
        assert number.replace(" ", "") in claims
