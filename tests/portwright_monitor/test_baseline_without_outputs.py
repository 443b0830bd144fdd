"""A canary flow that fails before it gives any output (a page no selector map matches)
still finds its baseline when the recording's input was scrubbed: a name, a birth date
or an MRN typed into a search, which the recorder pseudonymized because the outputs the
search found held it.

The live input's pseudonym was only learned from the run's outputs, so a run without
outputs compared the real value with the pseudonym and found no baseline: the
``ui_version_unknown`` finding named no map version the baseline was recorded with, and
the report said ``baseline_missing``. The recording's golden shows what the recorder
learned (the recorded input is a value of one of its PHI fields), and the live value,
pseudonymized as that field's kind under the same key, is that value."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from portwright.recording.scrub import Scrubber, ScrubPolicy
from portwright.settings import load_settings
from portwright.testing.pages_server import PagesServer
from portwright_monitor.baseline import find_baseline
from portwright_monitor.cli import app
from portwright_monitor.golden_forms import scrub_policy_of

ROOT = Path(__file__).resolve().parents[2]
#: a patient as the portal shows it (the committed golden's values, taken as real here)
PATIENT: dict[str, Any] = json.loads(
    (ROOT / "recordings" / "valant" / "patients.get" / "2025.4" / "one-patient"
     / "golden.json").read_text())["outputs"]["Patient"][0]
#: another patient of the same shape
OTHER: dict[str, Any] = json.loads(
    (ROOT / "recordings" / "valant" / "patients.list" / "2025.4" / "discharged-one-provider"
     / "golden.json").read_text())["outputs"]["Patient"][0]


def record(root: Path, policy: ScrubPolicy, portal: str, flow: str, ui_version: str,
           scenario: str, inputs: dict[str, Any], outputs: dict[str, Any]) -> dict[str, Any]:
    """A recording of ``flow`` written as the recorder writes one: the golden learned
    from, then the inputs, both scrubbed with one scrubber under ``policy``; the
    committed inputs are returned."""
    scrubber = Scrubber(policy)
    golden = {"outputs": outputs}
    scrubber.learn_json(golden)
    scrubber.learn_json(inputs)
    committed: dict[str, Any] = scrubber.scrub_json(inputs)
    folder = root / "recordings" / portal / flow.removeprefix(f"{portal}.") / ui_version \
        / scenario
    folder.mkdir(parents=True)
    (folder / "golden.json").write_text(json.dumps(scrubber.scrub_json(golden)))
    (folder / "meta.json").write_text(json.dumps({
        "portal": portal, "flow": flow, "ui_version": ui_version, "scenario": scenario,
        "selector_map_version": ui_version, "portal_url": "http://127.0.0.1",
        "inputs": committed}))
    return committed


def test_a_search_recorded_by_a_name_or_birth_date_is_the_baseline_without_outputs(
        tmp_path: Path) -> None:
    """Valant's ``valant.patients.list`` searches "name, MRN or date of birth": an MRN is
    known by its shape, a name or a birth date only through the outputs."""
    policy = scrub_policy_of("valant")
    flow = "valant.patients.list"
    by = {"one-name": {"query": PATIENT["lastName"], "status": ""},
          "one-dob": {"query": PATIENT["dob"], "status": ""}}
    for scenario, inputs in by.items():
        committed = record(tmp_path, policy, "valant", flow, "2026.1", scenario, inputs,
                           {"Patient": [PATIENT]})
        assert committed["query"] != inputs["query"]   # the premise: scrubbed
    settings = load_settings(tmp_path, recordings=tmp_path / "recordings")
    for scenario, inputs in by.items():
        found = find_baseline(settings, "valant", flow, inputs, None).found
        assert found is not None and found.scenario == scenario, scenario
    # another patient's name, or the same name with another filter: none of them
    for inputs in ({"query": OTHER["lastName"], "status": ""},
                   {"query": PATIENT["lastName"], "status": "active"}):
        lookup = find_baseline(settings, "valant", flow, inputs, None)
        assert lookup.found is None
        assert lookup.why_none == \
            f"none of the recordings of {flow} (2026.1/one-dob, 2026.1/one-name) has " \
            "these inputs"


MAPS = {
    "4.0": """portal: toy
version: "4.0"
detect:
  - {meta: app-version, matches: "^4\\\\."}
selectors:
  search.box: [{css: "input[name=q]"}]
  search.row: {strategies: [{css: "tr.patient"}], all: true}
""",
}
FLOW = """flow: toy.search
mutates: false
inputs:
  query: {type: string}
outputs:
  title: {value: title}
steps:
  - {action: goto, url: "{{ portal.base_url }}/search"}
  - {action: fill, target: search.box, value: "{{ inputs.query }}"}
  - {action: extract, id: read-rows, into: title, target: search.row, fields: {text: {}}}
"""


@pytest.mark.browser
def test_a_ui_release_no_map_describes_names_the_baseline_of_an_mrn_search(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A toy portal (no adapter: the baseline policy knows no MRN by its shape) searched
    by an MRN, recorded on UI 4.0; the portal now shows a UI no map describes."""
    ws = tmp_path / "ws"
    (ws / "selectors" / "toy").mkdir(parents=True)
    for version, text in MAPS.items():
        (ws / "selectors" / "toy" / f"{version}.yaml").write_text(text)
    (ws / "flows" / "toy").mkdir(parents=True)
    (ws / "flows" / "toy" / "search.yaml").write_text(FLOW)
    (ws / "portwright.toml").write_text('artifacts = "out"\n')
    mrn = PATIENT["mrn"]
    committed = record(ws, scrub_policy_of("toy"), "toy", "toy.search", "4.0", "one-mrn",
                       {"query": mrn}, {"Patient": [PATIENT]})
    assert committed["query"] != mrn   # the premise: the recording keeps a pseudonym
    monkeypatch.chdir(ws)
    monkeypatch.setenv("PORTWRIGHT_STATE", str(tmp_path / "state"))
    released = ('<html><head><meta name="app-version" content="5.0"></head><body>'
                '<input name="q"></body></html>')

    def canary(query: str) -> tuple[int, str, dict[str, Any]]:
        with PagesServer({"/search": released}) as site:
            result = CliRunner().invoke(app, [
                "canary", "toy", "--portal-url", site.url, "--flow", "toy.search",
                "--input", f"toy.search:query={query}", "--report", "drift.json"],
                env={"COLUMNS": "250"})
        [check] = json.loads((ws / "drift.json").read_text())["flows"]
        return result.exit_code, result.output, check

    code, output, check = canary(mrn)
    assert code == 1, output
    [finding] = check["findings"]
    assert finding["kind"] == "ui_version_unknown", output
    assert (check["baseline"], check["baseline_missing"]) == ("4.0/one-mrn", None)
    assert finding["map_version"] == "4.0"
    assert "the baseline (4.0/one-mrn) was recorded on UI 4.0 with map 4.0" \
        in finding["detail"]
    report = (ws / "drift.json").read_text()
    for text in (output, report):   # names, never the input or its pseudonym
        assert mrn not in text and committed["query"] not in text

    # another patient's MRN has no baseline, and says why
    code, output, check = canary(OTHER["mrn"])
    assert check["baseline"] is None
    assert check["baseline_missing"] == \
        "none of the recordings of toy.search (4.0/one-mrn) has these inputs"
    assert "no baseline recording to compare with" in check["findings"][0]["detail"]
