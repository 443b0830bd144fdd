"""``portwright replay`` as a user runs it, on a copy of one committed recording: a current
recording passes; a golden that differs fails naming the field; a recording made under an
older flow version or a map version the portal no longer has still replays, but is
reported stale (and fails the standard suite's ``recordings_current`` check)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portwright.cli.app import app
from portwright.recording.layout import iter_recordings
from portwright.settings import load_settings
from portwright.testing.standard_suite import RecordingsCurrent, SuiteContext

REPO = load_settings()
FLOW = "valant.providers.list"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """Flows, selector maps and the 2026.1 recording of providers.list, copied."""
    source = next(r for r in iter_recordings(REPO.path("recordings"), "valant")
                  if r.flow == FLOW and r.ui_version == "2026.1")
    shutil.copytree(REPO.path("flows") / "valant", tmp_path / "flows" / "valant")
    shutil.copytree(REPO.path("selectors") / "valant", tmp_path / "selectors" / "valant")
    shutil.copytree(source.folder, tmp_path / "recordings" / "valant" / "providers.list"
                    / "2026.1" / source.scenario)
    return tmp_path


def _env(root: Path) -> dict[str, str]:
    return {"PORTWRIGHT_FLOWS": str(root / "flows"),
            "PORTWRIGHT_SELECTORS": str(root / "selectors"),
            "PORTWRIGHT_RECORDINGS": str(root / "recordings")}


def _recording(root: Path) -> Path:
    return next((root / "recordings" / "valant" / "providers.list" / "2026.1").iterdir())


def _bump_flow_version(root: Path) -> None:
    path = root / "flows" / "valant" / "providers.list.yaml"
    text = path.read_text()
    assert "\nversion: 1\n" in text
    path.write_text(text.replace("\nversion: 1\n", "\nversion: 2\n", 1))


def _suite(root: Path) -> SuiteContext:
    return SuiteContext("valant", load_settings(root, root=root, flows=root / "flows",
                                                selectors=root / "selectors",
                                                recordings=root / "recordings"))


def test_a_current_recording_replays_ok(workspace: Path) -> None:
    result = CliRunner().invoke(app, ["replay", FLOW], env=_env(workspace))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"ok   {FLOW} 2026.1/")
    assert "stale" not in result.output
    RecordingsCurrent().run(_suite(workspace))


def test_a_golden_that_differs_fails_naming_the_field(workspace: Path) -> None:
    golden_path = _recording(workspace) / "golden.json"
    golden = json.loads(golden_path.read_text())
    golden["outputs"]["Provider"][0]["credential"] = "XYZ"
    golden_path.write_text(json.dumps(golden, indent=2))

    result = CliRunner().invoke(app, ["replay", FLOW], env=_env(workspace))
    assert result.exit_code == 1
    assert result.output.startswith(f"FAIL {FLOW} 2026.1/")
    assert "Provider" in result.output and "credential" in result.output
    assert "XYZ" in result.output


def test_a_recording_of_an_older_flow_version_is_reported_stale(workspace: Path) -> None:
    _bump_flow_version(workspace)

    result = CliRunner().invoke(app, ["replay", FLOW], env=_env(workspace))
    # the old traffic still replays: the warning is what tells the author to re-record
    assert result.exit_code == 0, result.output
    assert (f"stale: recorded with {FLOW} version 1; the flow is now version 2"
            in result.output)
    assert f"re-record it: portwright record {FLOW}" in result.output

    with pytest.raises(AssertionError) as err:
        RecordingsCurrent().run(_suite(workspace))
    assert str(_recording(workspace)) in str(err.value)
    assert "version 1; the flow is now version 2" in str(err.value)


def test_a_recording_of_a_removed_map_version_is_reported_stale(workspace: Path) -> None:
    meta_path = _recording(workspace) / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["selector_map_version"] = "2024.2"
    meta_path.write_text(json.dumps(meta, indent=2))

    with pytest.raises(AssertionError) as err:
        RecordingsCurrent().run(_suite(workspace))
    assert ("recorded against selector map 2024.2, which valant no longer has "
            "(maps: 2025.4, 2026.1)") in str(err.value)


def test_recordings_list_marks_each_recording_current_or_stale(workspace: Path) -> None:
    listed = CliRunner().invoke(app, ["recordings", "list"], env=_env(workspace))
    assert listed.exit_code == 0, listed.output
    flow, ui, scenario, _when, state, folder = listed.output.strip().split("\t")
    recording = _recording(workspace)
    assert (flow, ui, scenario) == (FLOW, "2026.1", recording.name)
    assert (state, folder) == ("current", str(recording))

    _bump_flow_version(workspace)
    listed = CliRunner().invoke(app, ["recordings", "list"], env=_env(workspace))
    state = listed.output.strip().split("\t")[4]
    assert state == f"stale: recorded with {FLOW} version 1; the flow is now version 2"


def test_without_a_flow_every_recording_replays_and_a_summary_counts_them(
        workspace: Path) -> None:
    other = next(r for r in iter_recordings(REPO.path("recordings"), "valant")
                 if r.flow == "valant.locations.list" and r.ui_version == "2025.4")
    shutil.copytree(other.folder, workspace / "recordings" / "valant" / "locations.list"
                    / "2025.4" / other.scenario)
    golden_path = _recording(workspace) / "golden.json"
    golden = json.loads(golden_path.read_text())
    golden["outputs"]["Provider"].pop()
    golden_path.write_text(json.dumps(golden, indent=2))

    result = CliRunner().invoke(app, ["replay", "--jobs", "2"], env=_env(workspace))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("ok   valant.locations.list 2025.4/")
    assert lines[1].startswith(f"FAIL {FLOW} 2026.1/")
    assert lines[-1] == "2 replayed: 1 ok, 1 failed"


def test_no_matching_recording_is_an_error_naming_the_filter(workspace: Path) -> None:
    result = CliRunner().invoke(app, ["replay", FLOW, "--ui-version", "2025.4"],
                                env=_env(workspace))
    assert result.exit_code == 1
    assert f"no recording of {FLOW} (UI version 2025.4) under" in result.output
