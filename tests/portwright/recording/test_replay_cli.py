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
    # both ways forward: accept a deliberate output change, or re-record a changed portal
    assert "--update-golden" in result.output and "--record-mode all" in result.output


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
    # a result per recording as each finishes (two at a time: in either order; a FAIL is
    # followed by its differences), then a count
    heads = {line.split(" (")[0].split(":")[0] for line in lines
             if line.startswith(("ok   ", "FAIL "))}
    assert heads == {f"ok   valant.locations.list 2025.4/{other.scenario}",
                     f"FAIL {FLOW} 2026.1/{_recording(workspace).name}"}
    assert lines[-1] == "2 replayed: 1 ok, 1 failed"


def test_no_matching_recording_is_an_error_naming_the_filter(workspace: Path) -> None:
    result = CliRunner().invoke(app, ["replay", FLOW, "--ui-version", "2025.4"],
                                env=_env(workspace))
    assert result.exit_code == 1
    assert f"no recording of {FLOW} (UI version 2025.4) under" in result.output
    # what there is instead: the flow's scenarios with their UI versions
    scenario = _recording(workspace).name
    assert f"hint: recorded scenarios of {FLOW}: {scenario} (2026.1)" in result.output
    other = CliRunner().invoke(app, ["replay", "valant.nosuch"], env=_env(workspace))
    assert other.exit_code == 1 and f"hint: recorded flows: {FLOW}\n" in other.output


def test_update_golden_accepts_the_replayed_output_and_keeps_the_folder_audited(
        workspace: Path) -> None:
    recording = _recording(workspace)
    committed = json.loads(recording.joinpath("golden.json").read_text())
    golden = json.loads(json.dumps(committed))
    golden["outputs"]["Provider"][0]["credential"] = "XYZ"
    recording.joinpath("golden.json").write_text(json.dumps(golden, indent=2))

    result = CliRunner().invoke(app, ["replay", FLOW, "--update-golden"], env=_env(workspace))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"updated {FLOW} 2026.1/{recording.name}: 1 difference(s) accepted"
    credential = committed["outputs"]["Provider"][0]["credential"]
    assert lines[1] == f'  $.outputs.Provider[0].credential: "{credential}", was "XYZ"'
    assert json.loads(recording.joinpath("golden.json").read_text()) == committed

    # meta.json's hash follows the new golden, so the audit still vouches for the folder
    audit = CliRunner().invoke(app, ["recordings", "audit"], env=_env(workspace))
    assert audit.exit_code == 0, audit.output
    again = CliRunner().invoke(app, ["replay", FLOW], env=_env(workspace))
    assert again.output.startswith(f"ok   {FLOW} 2026.1/")


def test_update_golden_refuses_output_with_phi_and_leaves_the_golden_as_it_was(
        workspace: Path) -> None:
    from portwright.exceptions import AuditFailed
    from portwright.recording.golden_update import update_golden
    from portwright.recording.hooks import hooks_for
    from portwright.recording.layout import RecordingPaths
    from portwright.recording.replayer import ReplayOutcome

    recording = _recording(workspace)
    paths = RecordingPaths(workspace / "recordings", "valant", FLOW, "2026.1", recording.name)
    before = {p.name: p.read_bytes() for p in recording.iterdir()}
    golden = paths.load_golden()
    real_name = next(p.value for p in hooks_for("valant").planted_values()
                     if p.label == "seeded patient name")
    leaked = json.loads(json.dumps(golden))
    leaked["outputs"]["Provider"][0]["lastName"] = real_name

    with pytest.raises(AuditFailed) as err:
        update_golden(ReplayOutcome(paths, leaked, golden))
    assert "left as it was" in str(err.value) and real_name not in str(err.value)
    assert {p.name: p.read_bytes() for p in recording.iterdir()} == before  # no stray file


def test_update_golden_does_not_paper_over_missing_requests(workspace: Path) -> None:
    from portwright.exceptions import ReplayMismatch
    from portwright.recording.golden_update import update_golden
    from portwright.recording.layout import RecordingPaths
    from portwright.recording.replayer import ReplayOutcome

    recording = _recording(workspace)
    paths = RecordingPaths(workspace / "recordings", "valant", FLOW, "2026.1", recording.name)
    golden = paths.load_golden()
    with pytest.raises(ReplayMismatch, match="not in the recording") as err:
        update_golden(ReplayOutcome(paths, {"outputs": {}}, golden,
                                    misses=["GET http://portal/providers?page=2"]))
    assert "re-record" in str(err.value.hint)
    assert paths.load_golden() == golden


def test_a_damaged_meta_json_fails_that_recording_naming_file_and_line(
        workspace: Path) -> None:
    meta = _recording(workspace) / "meta.json"
    meta.write_text('{"flow": "valant.providers.list",\n  "portal": \n')

    result = CliRunner().invoke(app, ["replay", FLOW], env=_env(workspace))
    assert result.exit_code == 1
    assert result.output.startswith(f"FAIL {FLOW} 2026.1/")
    assert f"{meta}:3:1: meta.json is not valid JSON" in result.output

    listed = CliRunner().invoke(app, ["recordings", "list"], env=_env(workspace))
    assert listed.exit_code == 1
    assert f"damaged: {meta}:3:1: meta.json is not valid JSON" in listed.output


def test_a_truncated_har_fails_naming_file_and_position(workspace: Path) -> None:
    har = _recording(workspace) / "flow.har"
    text = har.read_text()
    har.write_text(text[: len(text) // 2])

    result = CliRunner().invoke(app, ["replay", FLOW], env=_env(workspace))
    assert result.exit_code == 1
    assert result.output.startswith(f"FAIL {FLOW} 2026.1/")
    assert f"{har}:" in result.output and "HAR is not valid JSON" in result.output
