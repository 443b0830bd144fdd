"""The standard suite's recording checks on hand-edited copies of committed recordings:
each bad recording is named, and the first one does not hide the others."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from portwright.recording.layout import iter_recordings
from portwright.settings import load_settings
from portwright.testing.standard_suite import GoldenValidates, RecordingsCurrent, SuiteContext

REPO = load_settings()


def _workspace(tmp_path: Path, *flows: str) -> tuple[SuiteContext, dict[str, Path]]:
    shutil.copytree(REPO.path("flows") / "valant", tmp_path / "flows" / "valant")
    shutil.copytree(REPO.path("selectors") / "valant", tmp_path / "selectors" / "valant")
    folders = {}
    for flow in flows:
        source = next(r for r in iter_recordings(REPO.path("recordings"), "valant")
                      if r.flow == flow and r.ui_version == "2025.4")
        folders[flow] = (tmp_path / "recordings" / "valant" / flow.split(".", 1)[1] / "2025.4"
                         / source.scenario)
        shutil.copytree(source.folder, folders[flow])
    settings = load_settings(tmp_path, root=tmp_path, flows=tmp_path / "flows",
                             selectors=tmp_path / "selectors",
                             recordings=tmp_path / "recordings")
    return SuiteContext("valant", settings), folders


def test_golden_validates_names_a_golden_holding_another_flows_outputs(
        tmp_path: Path) -> None:
    ctx, folders = _workspace(tmp_path, "valant.providers.list", "valant.locations.list")
    providers = folders["valant.providers.list"] / "golden.json"
    shutil.copy(folders["valant.locations.list"] / "golden.json", providers)
    with pytest.raises(AssertionError) as failed:
        GoldenValidates().run(ctx)
    assert (f"{providers}: outputs Location are not outputs of valant.providers.list "
            "(it declares Provider)") in str(failed.value)


def test_golden_validates_reports_every_bad_golden(tmp_path: Path) -> None:
    ctx, folders = _workspace(tmp_path, "valant.providers.list", "valant.locations.list")
    truncated = folders["valant.locations.list"] / "golden.json"
    truncated.write_text('{"outputs": {"Location": [')
    other_shape = folders["valant.providers.list"] / "golden.json"
    other_shape.write_text('{"Provider": []}')
    with pytest.raises(AssertionError) as failed:
        GoldenValidates().run(ctx)
    message = str(failed.value)
    assert f"{truncated}:1:" in message and "golden output is not valid JSON" in message
    assert f"{other_shape}: golden output must be" in message


def test_recordings_current_names_damaged_and_stale_recordings_together(
        tmp_path: Path) -> None:
    ctx, folders = _workspace(tmp_path, "valant.locations.list", "valant.providers.list")
    damaged = folders["valant.locations.list"] / "meta.json"  # sorted first
    damaged.write_text(damaged.read_text()[:40])
    bumped = folders["valant.providers.list"] / "meta.json"
    meta = json.loads(bumped.read_text())
    meta["flow_version"] = 0  # recorded under an older version of the flow
    bumped.write_text(json.dumps(meta))
    with pytest.raises(AssertionError) as failed:
        RecordingsCurrent().run(ctx)
    message = str(failed.value)
    assert "damaged recordings:" in message
    assert f"{damaged}:3:13: meta.json is not valid JSON" in message
    assert (f"{folders['valant.providers.list']}: recorded with valant.providers.list "
            "version 0" in message)
