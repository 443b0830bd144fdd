"""The table of committed Valant scenarios, and ``scripts/record_valant.py`` that records
them again: the table is exactly what is committed (flows, scenarios, both UI versions,
the secrets each account exports, the inputs), and the script, run as a user runs it,
records a scenario that replays to its golden, keeps a current one, and reads emailed
codes from its own mailbox."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.async_api import Browser

from portwright.recording.layout import iter_recordings
from portwright.recording.replayer import replay_recording
from portwright.settings import load_settings
from portwright_valant.recorded_scenarios import SCENARIOS
from portwright_valant.sandbox.auth.user_secrets import user_secrets
from portwright_valant.sandbox.config import UI_VERSIONS, SandboxConfig

REPO = load_settings()
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "record_valant.py"
COMMITTED = list(iter_recordings(REPO.path("recordings"), "valant"))


@dataclass
class _Mailbox:
    host: str = "127.0.0.1"
    imap_port: int = 143


def test_the_table_is_what_is_committed_in_every_ui_version() -> None:
    table = {(s.flow, s.name, ui) for s in SCENARIOS for ui in UI_VERSIONS}
    committed = {(r.flow, r.scenario, r.ui_version) for r in COMMITTED}
    assert table == committed


@pytest.mark.parametrize("paths", COMMITTED, ids=lambda p: f"{p.flow}-{p.ui_version}-"
                         f"{p.scenario}")
def test_each_account_exports_the_secrets_and_inputs_its_recording_used(paths) -> None:  # type: ignore[no-untyped-def]
    scenario = next(s for s in SCENARIOS if (s.flow, s.name) == (paths.flow, paths.scenario))
    meta = paths.load_meta()
    secrets = user_secrets(scenario.account, "http://127.0.0.1:1", SandboxConfig(),
                           _Mailbox())
    assert sorted(f"valant.{name.lower()}" for name in secrets) == meta.secret_names
    assert scenario.inputs(meta.recorded_at.date()) == meta.inputs


def _run_script(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTWRIGHT_SECRET_")}
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True,
                          text=True, env=env, stdin=subprocess.DEVNULL, timeout=300,
                          check=False)


@pytest.mark.browser
async def test_the_script_records_replayable_scenarios_and_keeps_current_ones(
        tmp_path: Path, browser: Browser) -> None:
    recordings = tmp_path / "recordings"
    only = ["--only", "valant.providers.list", "--only", "valant.login/email",
            "--ui-version", "2026.1", "--recordings", str(recordings)]
    first = _run_script(*only)
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("recorded ") == 2, first.stdout

    made = list(iter_recordings(recordings, "valant"))
    assert {(p.flow, p.scenario, p.ui_version) for p in made} == {
        ("valant.providers.list", "all", "2026.1"), ("valant.login", "email", "2026.1")}
    # the emailed code was read from the script's own Dovecot, and replays from the HAR
    assert "valant.imap_user" in next(p for p in made if p.scenario == "email"
                                      ).load_meta().secret_names
    settings = load_settings(recordings=recordings)
    for paths in made:
        outcome = await replay_recording(paths, settings=settings, browser=browser)
        outcome.assert_matches()

    again = _run_script(*only)  # new_episodes: both are current, so both are kept
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("kept ") == 2, again.stdout


def test_an_unknown_scenario_is_refused_before_anything_starts() -> None:
    result = _run_script("--only", "valant.login/fax")
    assert result.returncode != 0
    assert "no committed scenario valant.login/fax" in result.stderr
    assert "valant.login/email" in result.stderr
