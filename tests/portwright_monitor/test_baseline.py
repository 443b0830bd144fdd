"""Which recording a canary flow is compared with, and what counts as a field gone empty."""

from __future__ import annotations

import shutil
from pathlib import Path

from portwright.settings import load_settings
from portwright_monitor.baseline import baseline_for, emptied_fields, filled_fields

ROOT = Path(__file__).resolve().parents[2]


def test_nested_fields_count_by_their_leaves() -> None:
    records = [{"id": "p1", "email": None, "address": {"city": "Tacoma", "line2": None}},
               {"id": "p2", "email": "", "address": {"city": None, "line2": None},
                "codes": []}]
    assert filled_fields(records) == {"id", "address.city"}


def test_a_field_is_emptied_only_when_no_live_record_has_it() -> None:
    baseline = {"outputs": {"Provider": [{"id": "a", "email": "x@y.invalid",
                                          "address": {"city": "Olympia"}},
                                         {"id": "b", "email": None, "address": {"city": None}}],
                            "Location": [{"id": "l1", "phone": "+12065550100"}]}}
    live = {"Provider": [{"id": "c", "email": None, "address": {"city": None}},
                         {"id": "d", "email": None, "address": {"city": None}}],
            "Location": []}                    # nothing came back: nothing to judge by
    assert emptied_fields(baseline, live) == {"Provider": ["address.city", "email"]}
    live["Provider"][1]["email"] = "z@y.invalid"
    assert emptied_fields(baseline, live) == {"Provider": ["address.city"]}


def test_the_baseline_has_the_same_inputs_prefers_the_ui_version_and_skips_damage(
        tmp_path: Path) -> None:
    source = ROOT / "recordings" / "valant" / "providers.list"
    target = tmp_path / "recordings" / "valant" / "providers.list"
    shutil.copytree(source, target)
    settings = load_settings(tmp_path, recordings=tmp_path / "recordings")
    flow = "valant.providers.list"
    assert baseline_for(settings, "valant", flow, {}, "2026.1").ui_version == "2026.1"  # type: ignore[union-attr]
    assert baseline_for(settings, "valant", flow, {}, "2025.4").ui_version == "2025.4"  # type: ignore[union-attr]
    assert baseline_for(settings, "valant", flow, {"status": "x"}, "2025.4") is None
    next((target / "2025.4").iterdir()).joinpath("meta.json").write_text("{ damaged")
    assert baseline_for(settings, "valant", flow, {}, "2025.4").ui_version == "2026.1"  # type: ignore[union-attr]


def test_a_field_the_map_cannot_read_is_not_counted_as_emptied() -> None:
    from portwright_monitor.baseline import unoffered_fields

    steps = [{"action": "if", "then": [{"action": "extract", "fields": {
        "id": {"attr": "data-id"}, "email": {"target": "rows.email", "optional": True},
        "npi": "rows.npi"}}], "else": [{"action": "extract", "fields": {
            "id": {"attr": "data-id"}, "npi": "rows.npi"}}]}]
    unoffered = unoffered_fields(steps, {"rows.npi"})
    assert unoffered == {"email"}
    baseline = {"outputs": {"Provider": [{"id": "a", "email": "x@y.invalid", "npi": "1"}]}}
    live = {"Provider": [{"id": "b", "email": None, "npi": None}]}
    assert emptied_fields(baseline, live, unoffered) == {"Provider": ["npi"]}


def test_a_page_of_an_unrecorded_or_unknown_version_is_compared_with_the_newest_recording(
        tmp_path: Path) -> None:
    """A new UI (or one no map describes) moved on from the newest recorded UI; the
    oldest recording was chosen (and named in the ``ui_version_unknown`` finding)."""
    source = ROOT / "recordings" / "valant" / "providers.list"
    shutil.copytree(source, tmp_path / "recordings" / "valant" / "providers.list")
    settings = load_settings(tmp_path, recordings=tmp_path / "recordings")
    for shown in (None, "2027.1"):
        found = baseline_for(settings, "valant", "valant.providers.list", {}, shown)
        assert found is not None and found.ui_version == "2026.1"
