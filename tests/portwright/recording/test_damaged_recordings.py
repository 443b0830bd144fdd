"""Damaged recordings are named and failed one by one: ``replay`` carries on with the
rest, ``recordings list`` says ``damaged`` and exits 1, the audit lists a finding. A
recording is the folder it sits in, whatever its ``meta.json`` claims."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portwright.cli.app import app
from portwright.recording.layout import iter_recordings
from portwright.settings import load_settings

REPO = load_settings()
PROVIDERS = "valant.providers.list"
LOCATIONS = "valant.locations.list"


def _copy(root: Path, flow: str, ui_version: str, into: str | None = None) -> Path:
    source = next(r for r in iter_recordings(REPO.path("recordings"), "valant")
                  if r.flow == flow and r.ui_version == ui_version)
    target = (root / "recordings" / "valant" / (into or flow.split(".", 1)[1]) / ui_version
              / source.scenario)
    shutil.copytree(source.folder, target)
    return target


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """Flows, maps and two recordings: providers.list 2025.4, locations.list 2025.4."""
    shutil.copytree(REPO.path("flows") / "valant", tmp_path / "flows" / "valant")
    shutil.copytree(REPO.path("selectors") / "valant", tmp_path / "selectors" / "valant")
    _copy(tmp_path, PROVIDERS, "2025.4")
    _copy(tmp_path, LOCATIONS, "2025.4")
    return tmp_path


def _run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={
        "PORTWRIGHT_FLOWS": str(root / "flows"), "PORTWRIGHT_SELECTORS": str(root / "selectors"),
        "PORTWRIGHT_RECORDINGS": str(root / "recordings")})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback is a failure of this test, not a FAIL line
    return result.exit_code, result.output


def _providers(root: Path) -> Path:
    return root / "recordings" / "valant" / "providers.list" / "2025.4" / "all"


@pytest.mark.parametrize(("damage", "message"), [
    (lambda har: har.unlink(), "the recording has no HAR"),
    (lambda har: har.write_text('{"log": {"entries": null}}'),
     "HAR 'log.entries' must be a list, not NoneType"),
    (lambda har: har.write_text('{"log": {"entries": [{"response": {}}]}}'),
     "HAR entry 0 is not a request with a response"),
])
def test_replay_fails_a_recording_with_a_broken_har_and_replays_the_rest(
        workspace: Path, damage, message: str) -> None:  # type: ignore[no-untyped-def]
    har = _providers(workspace) / "flow.har"
    damage(har)
    code, output = _run(workspace, "replay")
    assert code == 1
    assert f"FAIL {PROVIDERS} 2025.4/all: {har}: {message}" in output
    assert f"ok   {LOCATIONS} 2025.4/all" in output
    assert output.splitlines()[-1] == "2 replayed: 1 ok, 1 failed"


def test_a_copy_with_another_flow_in_meta_is_damaged_not_the_other_replayed_twice(
        workspace: Path) -> None:
    meta_path = _providers(workspace) / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["flow"] = LOCATIONS  # copied from locations.list, meta never fixed
    meta_path.write_text(json.dumps(meta, indent=2))

    found = list(iter_recordings(workspace / "recordings", "valant"))
    assert sorted(p.folder for p in found) == sorted(
        [_providers(workspace), workspace / "recordings/valant/locations.list/2025.4/all"])

    code, output = _run(workspace, "replay")
    assert code == 1
    assert (f"FAIL {PROVIDERS} 2025.4/all: {meta_path}: meta.json describes {LOCATIONS}"
            in output)
    assert output.count(f"ok   {LOCATIONS} 2025.4/all") == 1
    assert output.splitlines()[-1] == "2 replayed: 1 ok, 1 failed"

    code, listed = _run(workspace, "recordings", "list")
    assert code == 1
    assert f"damaged: {meta_path}: meta.json describes {LOCATIONS}" in listed

    code, audited = _run(workspace, "recordings", "audit")
    assert code == 1
    assert f"{meta_path}:1:1: meta.json describes {LOCATIONS}" in audited


@pytest.mark.parametrize(("name", "content", "message"), [
    ("golden.json", b'{"outputs": {"Provider": [', "golden output is not valid JSON"),
    ("golden.json", b'{"outputs": "\xff\xfe"}', "cannot read golden output"),
    ("flow.har", b'{"log": {"entries": [', "HAR is not valid JSON"),
    ("flow.har", b'{"log": {"entries": null}}', "HAR 'log.entries' must be a list"),
])
def test_recordings_list_says_damaged_for_a_broken_golden_or_har(
        workspace: Path, name: str, content: bytes, message: str) -> None:
    target = _providers(workspace) / name
    target.write_bytes(content)
    code, listed = _run(workspace, "recordings", "list")
    assert code == 1
    line = next(x for x in listed.splitlines() if x.startswith(PROVIDERS))
    assert line.split("\t")[4].startswith(f"damaged: {target}")
    assert message in line
    assert "current" not in line
    other = next(x for x in listed.splitlines() if x.startswith(LOCATIONS))
    assert other.split("\t")[4] == "current"


def test_a_recording_without_meta_json_is_reported_everywhere(workspace: Path) -> None:
    meta = _providers(workspace) / "meta.json"
    meta.unlink()

    code, listed = _run(workspace, "recordings", "list")
    assert code == 1
    assert f"damaged: {meta}: the recording has no meta.json" in listed

    code, output = _run(workspace, "replay")
    assert code == 1
    assert f"FAIL {PROVIDERS} 2025.4/all: {meta}: the recording has no meta.json" in output
    assert output.splitlines()[-1] == "2 replayed: 1 ok, 1 failed"

    code, audited = _run(workspace, "recordings", "audit")
    assert code == 1
    assert f"{meta}:1:1: the recording has no meta.json (damaged)" in audited


def test_a_failed_replay_names_artifacts_that_still_exist(workspace: Path) -> None:
    """The error of a replay that fails at run time names its screenshot and step log:
    they must still be there to open once the replay has ended."""
    har_path = _providers(workspace) / "flow.har"
    har = json.loads(har_path.read_text())
    page = next(e for e in har["log"]["entries"] if e["request"]["url"].endswith("/providers"))
    # a row without its provider id: the extract step fails, leaving a screenshot and log
    page["response"]["content"]["text"] = page["response"]["content"]["text"].replace(
        'class="provider-row" data-id="', 'class="provider-row" data-x="', 1)
    har_path.write_text(json.dumps(har, indent=2))

    result = CliRunner().invoke(app, ["replay", PROVIDERS], env={
        "PORTWRIGHT_FLOWS": str(workspace / "flows"),
        "PORTWRIGHT_SELECTORS": str(workspace / "selectors"),
        "PORTWRIGHT_RECORDINGS": str(workspace / "recordings"),
        "PORTWRIGHT_ARTIFACTS": str(workspace / "artifacts")})
    assert result.exit_code == 1
    assert result.output.startswith(f"FAIL {PROVIDERS} 2025.4/all")
    named = [Path(p.strip()) for line in result.output.splitlines()
             if "artifacts: " in line for p in line.split("artifacts: ", 1)[1].split(",")]
    assert named, result.output
    assert all(p.is_file() for p in named), named
    assert any(p.name == "steps.jsonl" for p in named)


def test_replays_that_pass_leave_no_artifacts_behind(tmp_path: Path) -> None:
    """Only a failing replay keeps artifacts: not the scenario whose point is a portal
    error (its screenshot and step log), nor a flow's downloads."""
    shutil.copytree(REPO.path("flows") / "valant", tmp_path / "flows" / "valant")
    shutil.copytree(REPO.path("selectors") / "valant", tmp_path / "selectors" / "valant")
    _copy(tmp_path, "valant.appointments.create", "2025.4")
    _copy(tmp_path, "valant.encounters.export_packet", "2025.4")
    result = CliRunner().invoke(app, ["replay"], env={
        "PORTWRIGHT_FLOWS": str(tmp_path / "flows"),
        "PORTWRIGHT_SELECTORS": str(tmp_path / "selectors"),
        "PORTWRIGHT_RECORDINGS": str(tmp_path / "recordings"),
        "PORTWRIGHT_ARTIFACTS": str(tmp_path / "artifacts")})
    assert result.exit_code == 0, result.output
    left = [p for p in (tmp_path / "artifacts").rglob("*") if p.is_file()]
    assert left == []
