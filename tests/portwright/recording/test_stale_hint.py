"""The "re-record it" line of a stale recording is a command that works once its
placeholders are filled in: it names each input the recording used (by name, never by
value) and says the values are the original ones.

It used to print ``portwright record <flow> --portal-url URL --scenario ... --record-mode
all`` without the inputs, which a flow with a required input refuses (``input
'patient_id': is required``, exit 2). ``meta.json`` holds the inputs scrubbed (a
pseudonym where they held PHI), so their values cannot be printed as they are.
"""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portwright.cli.app import app
from portwright.exceptions import ConfigError
from portwright.recording.layout import iter_recordings
from portwright.recording.staleness import workspace_stale_reasons
from portwright.runner import browser_pool
from portwright.settings import Settings, load_settings

REPO = load_settings()
FLOW = "valant.patients.get"  # input patient_id, required


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """Flows, selector maps and the 2026.1 recording of patients.get, copied, the flow
    bumped to version 2: the recording is stale."""
    source = next(r for r in iter_recordings(REPO.path("recordings"), "valant")
                  if r.flow == FLOW and r.ui_version == "2026.1")
    shutil.copytree(REPO.path("flows") / "valant", tmp_path / "flows" / "valant")
    shutil.copytree(REPO.path("selectors") / "valant", tmp_path / "selectors" / "valant")
    shutil.copytree(source.folder, tmp_path / "recordings" / "valant" / "patients.get"
                    / "2026.1" / source.scenario)
    flow = tmp_path / "flows" / "valant" / "patients.get.yaml"
    text = flow.read_text()
    assert "\nversion: 1\n" in text
    flow.write_text(text.replace("\nversion: 1\n", "\nversion: 2\n", 1))
    return tmp_path


def _settings(root: Path) -> Settings:
    return load_settings(root, root=root, flows=root / "flows", selectors=root / "selectors",
                         recordings=root / "recordings")


def _hint(root: Path) -> tuple[str, dict[str, str]]:
    """The re-record line of the copied recording, and the inputs in its meta.json."""
    settings = _settings(root)
    paths = next(iter_recordings(settings.path("recordings"), "valant"))
    reasons = workspace_stale_reasons(settings, paths)
    hint = next(r for r in reasons if r.startswith("re-record it: "))
    inputs: dict[str, str] = json.loads(paths.meta.read_text())["inputs"]
    return hint, inputs


def test_the_hint_names_each_recorded_input_without_its_value(workspace: Path) -> None:
    hint, recorded = _hint(workspace)
    assert list(recorded) == ["patient_id"]
    assert "--input patient_id=<patient_id>" in hint
    assert recorded["patient_id"] not in hint  # the scrubbed value is no one's input
    assert "original" in hint  # and the person is told which values to give


def test_the_hint_with_its_placeholders_filled_is_a_command_record_accepts(
        workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run as printed (URL and <patient_id> filled in), ``record`` gets past its checks
    of the command to the browser, instead of exiting 2 for a missing input."""
    launches: list[str] = []

    async def refused(*args: object, **kwargs: object) -> None:
        launches.append("browser")
        raise ConfigError("a browser was started")

    monkeypatch.setattr(browser_pool, "acquire", refused)
    hint, _ = _hint(workspace)
    command = hint.removeprefix("re-record it: ").split(" (", 1)[0]
    command = command.replace("--portal-url URL", "--portal-url http://127.0.0.1:9")
    command = command.replace("<patient_id>", "pt_000001")
    words = shlex.split(command)
    assert words[:2] == ["portwright", "record"]
    monkeypatch.chdir(workspace)
    result = CliRunner().invoke(app, words[1:], env={
        "PORTWRIGHT_FLOWS": str(workspace / "flows"),
        "PORTWRIGHT_SELECTORS": str(workspace / "selectors"),
        "PORTWRIGHT_RECORDINGS": str(workspace / "recordings"),
        "PORTWRIGHT_STATE": str(workspace / "state"),
        "COLUMNS": "250"})
    assert "is required" not in result.output
    assert result.exit_code == 1, result.output
    assert "a browser was started" in result.output
    assert launches == ["browser"]
