"""What people do to committed recordings (merge them, check them out on Windows, copy
half a folder, delete a HAR entry, edit a file) gets one clear error naming the file and
what to do, or, where nothing was lost (CRLF, a byte-order mark), no error at all.
Real copies of the committed Valant recordings, replayed with the real CLI and Chromium.
"""

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
CREATE = "valant.appointments.create"
LOGIN = "valant.login"


def _copy(root: Path, flow: str, scenario: str, ui_version: str = "2025.4") -> Path:
    source = next(r for r in iter_recordings(REPO.path("recordings"), "valant")
                  if r.flow == flow and r.ui_version == ui_version and r.scenario == scenario)
    target = (root / "recordings" / "valant" / flow.split(".", 1)[1] / ui_version / scenario)
    shutil.copytree(source.folder, target)
    return target


def _workspace(root: Path, *recordings: tuple[str, str]) -> dict[str, Path]:
    shutil.copytree(REPO.path("flows") / "valant", root / "flows" / "valant")
    shutil.copytree(REPO.path("selectors") / "valant", root / "selectors" / "valant")
    return {flow: _copy(root, flow, scenario) for flow, scenario in recordings}


def _run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={
        "PORTWRIGHT_FLOWS": str(root / "flows"), "PORTWRIGHT_SELECTORS": str(root / "selectors"),
        "PORTWRIGHT_RECORDINGS": str(root / "recordings"),
        "PORTWRIGHT_ARTIFACTS": str(root / "artifacts")})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback is a failure of this test, not a FAIL line
    return result.exit_code, result.output


def _load(path: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(path.read_text(encoding="utf-8"))


def _save(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def test_a_har_left_with_merge_conflict_markers_is_named_as_a_conflict(
        tmp_path: Path) -> None:
    folders = _workspace(tmp_path, (PROVIDERS, "all"), (LOCATIONS, "all"))
    har = folders[PROVIDERS] / "flow.har"
    lines = har.read_text().splitlines(keepends=True)
    lines[40:40] = ["<<<<<<< HEAD\n", lines[40], "=======\n", lines[40], ">>>>>>> theirs\n"]
    har.write_text("".join(lines))

    code, output = _run(tmp_path, "replay")
    assert code == 1
    fail = next(line for line in output.splitlines() if line.startswith("FAIL"))
    assert fail == (f"FAIL {PROVIDERS} 2025.4/all: {har}:41:1: HAR holds an unresolved git "
                    "merge conflict (<<<<<<< / ======= / >>>>>>> lines)")
    assert "stale" not in output  # one error for one problem
    assert f"ok   {LOCATIONS} 2025.4/all" in output
    assert output.splitlines()[-1] == "2 replayed: 1 ok, 1 failed"

    code, audited = _run(tmp_path, "recordings", "audit")
    assert code == 1
    assert f"{har}:41:1: HAR holds an unresolved git merge conflict" in audited


def test_a_meta_json_with_conflict_markers_is_named_as_a_conflict(tmp_path: Path) -> None:
    folders = _workspace(tmp_path, (PROVIDERS, "all"))
    meta = folders[PROVIDERS] / "meta.json"
    meta.write_text(meta.read_text().replace(
        '  "flow_version": 1,\n',
        '<<<<<<< HEAD\n  "flow_version": 1,\n=======\n  "flow_version": 2,\n>>>>>>> b\n'))
    code, listed = _run(tmp_path, "recordings", "list")
    assert code == 1
    assert f"damaged: {meta}:5:1: meta.json holds an unresolved git merge conflict" in listed
    code, audited = _run(tmp_path, "recordings", "audit")
    assert f"{meta}:5:1: meta.json holds an unresolved git merge conflict" in audited


def test_a_windows_checkout_with_crlf_and_byte_order_marks_replays_and_audits_clean(
        tmp_path: Path) -> None:
    """CRLF line endings (core.autocrlf) and a BOM (a Windows editor) change no JSON
    content: the recording is as good as committed, and its hashes still vouch for it."""
    folders = _workspace(tmp_path, (PROVIDERS, "all"), (LOCATIONS, "all"))
    for name in ("flow.har", "meta.json", "golden.json"):
        crlf = folders[PROVIDERS] / name
        crlf.write_bytes(crlf.read_bytes().replace(b"\n", b"\r\n"))
        bom = folders[LOCATIONS] / name
        bom.write_bytes(b"\xef\xbb\xbf" + bom.read_bytes())

    code, output = _run(tmp_path, "replay")
    assert code == 0, output
    assert output.splitlines()[-1] == "2 replayed: 2 ok, 0 failed"
    code, listed = _run(tmp_path, "recordings", "list")
    assert code == 0, listed
    assert [line.split("\t")[4] for line in listed.splitlines()] == ["current", "current"]
    code, audited = _run(tmp_path, "recordings", "audit")
    assert code == 0, audited


def test_a_deleted_har_entry_names_the_request_as_a_template_and_the_step(
        tmp_path: Path) -> None:
    folders = _workspace(tmp_path, (CREATE, "validation-error"), (PROVIDERS, "all"))
    har = folders[CREATE] / "flow.har"
    data = _load(har)
    entries = data["log"]["entries"]
    form = next(e for e in entries if "/appointments/new?" in e["request"]["url"])
    patient_id = form["request"]["url"].split("patient_id=", 1)[1]
    base = form["request"]["url"].split("/appointments/new", 1)[0]
    entries.remove(form)
    _save(har, data)

    code, output = _run(tmp_path, "replay")
    assert code == 1
    fail = next(line for line in output.splitlines() if line.startswith("FAIL"))
    assert fail.startswith(f"FAIL {CREATE} 2025.4/validation-error: {har}: ")
    assert (f"GET {base}/appointments/new?patient_id=<patient_id>" in fail)
    assert patient_id not in output  # the input's value is not printed
    assert " step " in fail and "StepError" in fail
    assert f"ok   {PROVIDERS} 2025.4/all" in output


def test_update_golden_never_writes_the_error_of_a_failed_replay(tmp_path: Path) -> None:
    """A validation-error scenario whose replay now fails some other way (the portal
    answers 500) must not have that failure accepted as its golden."""
    folders = _workspace(tmp_path, (CREATE, "validation-error"))
    har = folders[CREATE] / "flow.har"
    data = _load(har)
    for entry in data["log"]["entries"]:
        if entry["request"]["method"] == "POST" and \
                entry["request"]["url"].endswith("/appointments"):
            entry["response"]["status"] = 500
            entry["response"]["content"] = {"mimeType": "text/html", "size": 45,
                                            "text": "<html><body>Server error</body></html>"}
    _save(har, data)
    golden = folders[CREATE] / "golden.json"
    meta = folders[CREATE] / "meta.json"
    before = golden.read_bytes(), meta.read_bytes()

    code, output = _run(tmp_path, "replay", "--update-golden")
    assert code == 1
    assert "updated" not in output
    assert f"FAIL {CREATE} 2025.4/validation-error: {golden}: the replay failed" in output
    assert (golden.read_bytes(), meta.read_bytes()) == before


def test_a_cassette_missing_from_a_partial_copy_fails_that_recording(tmp_path: Path) -> None:
    folders = _workspace(tmp_path, (LOGIN, "sms"), (PROVIDERS, "all"))
    cassette = folders[LOGIN] / "cassette.yaml"
    cassette.unlink()

    code, output = _run(tmp_path, "replay")
    assert code == 1
    assert (f"FAIL {LOGIN} 2025.4/sms: {cassette}: the recording has no cassette.yaml, "
            "which meta.json lists") in output
    assert "portwright record valant.login --portal-url URL --scenario sms" in output
    assert f"ok   {PROVIDERS} 2025.4/all" in output
    code, listed = _run(tmp_path, "recordings", "list")
    assert code == 1
    assert f"damaged: {cassette}: the recording has no cassette.yaml" in listed


def test_an_empty_scenario_folder_is_reported_not_skipped(tmp_path: Path) -> None:
    _workspace(tmp_path, (PROVIDERS, "all"))
    empty = tmp_path / "recordings/valant/providers.list/2025.4/half-copied"
    empty.mkdir()

    code, listed = _run(tmp_path, "recordings", "list")
    assert code == 1
    assert f"damaged: {empty}: the scenario folder is empty" in listed
    code, audited = _run(tmp_path, "recordings", "audit")
    assert code == 1
    assert f"{empty}:1:1: the scenario folder is empty" in audited
    code, output = _run(tmp_path, "replay")
    assert code == 1
    assert f"FAIL {PROVIDERS} 2025.4/half-copied: {empty}: the scenario folder is empty" \
        in output
    assert output.splitlines()[-1] == "2 replayed: 1 ok, 1 failed"


def test_a_recorded_file_without_a_content_hash_is_an_audit_finding(tmp_path: Path) -> None:
    """A HAR ``meta.json`` does not vouch for (its hash dropped in a merge, or a file
    added by hand) was never shown to be the audited one: the audit says so."""
    folders = _workspace(tmp_path, (PROVIDERS, "all"))
    meta_path = folders[PROVIDERS] / "meta.json"
    meta = _load(meta_path)
    del meta["content_hashes"]["flow.har"]
    _save(meta_path, meta)
    code, audited = _run(tmp_path, "recordings", "audit")
    assert code == 1
    assert f"{folders[PROVIDERS] / 'flow.har'}:1:1: no content hash in meta.json" in audited


def test_an_unknown_meta_field_is_an_audit_finding(tmp_path: Path) -> None:
    folders = _workspace(tmp_path, (PROVIDERS, "all"))
    meta_path = folders[PROVIDERS] / "meta.json"
    meta = _load(meta_path)
    meta["recorded_by"] = "someone"
    _save(meta_path, meta)
    code, audited = _run(tmp_path, "recordings", "audit")
    assert code == 1
    assert (f"{meta_path}:1:1: meta.json does not describe a recording: recorded_by: "
            "unknown field") in audited


@pytest.mark.parametrize("golden", [{"Provider": []}, {"outputs": []},
                                    {"error": "it failed"}])
def test_a_golden_of_another_shape_is_damaged_naming_its_keys(
        tmp_path: Path, golden: dict) -> None:  # type: ignore[type-arg]
    folders = _workspace(tmp_path, (PROVIDERS, "all"))
    path = folders[PROVIDERS] / "golden.json"
    _save(path, golden)
    code, listed = _run(tmp_path, "recordings", "list")
    assert code == 1
    assert (f"damaged: {path}: golden output must be {{\"outputs\": {{...}}}} or "
            f"{{\"error\": {{\"type\": ...}}}}; it holds the key(s) {next(iter(golden))}"
            ) in listed
