"""A detail page (one patient's chart) on a toy portal served over real HTTP, read by real
Chromium: its one record is compared with the baseline's, field by field, when it is the
baseline's record, and not at all when the same inputs opened another patient's.

The field checks only looked at outputs that were lists of records: a detail page's
record (an ``extract`` without ``rows``, one mapping) was never compared, so a field
whose element vanished from the chart went unreported."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser

from portwright.runner.engine import Engine
from portwright.settings import load_settings
from portwright.testing.pages_server import PagesServer
from portwright_monitor import CanaryReport, run_canary

pytestmark = pytest.mark.browser

MAP = """portal: toy
version: "4.0"
detect:
  - {meta: app-version, matches: "^4\\\\."}
selectors:
  chart.banner: [{css: "h1.banner"}]
  chart.name: [{css: "h1.banner"}]
  chart.dob: [{css: "dd.dob"}]
  chart.phone: [{css: "dl > dd:nth-of-type(2)"}]
  chart.email: [{css: "dd.email"}]
"""
FLOW = """flow: toy.patient
mutates: false
inputs:
  patient_id: {type: string}
outputs:
  patient: {value: patient}
steps:
  - {action: goto, url: "{{ portal.base_url }}/patients/{{ inputs.patient_id }}"}
  - {action: extract, id: read-chart, into: patient,
     fields: {id: {target: chart.banner, attr: data-id}, name: chart.name, dob: chart.dob,
              phone: {target: chart.phone, optional: true},
              email: {target: chart.email, optional: true}}}
"""
ANN = {"id": "p-101", "name": "Ann Smith", "dob": "1964-11-29", "phone": "+1 206 555 0100",
       "email": "ann@clinic.invalid"}
#: another patient, shown under the same id on another portal: no email on file
BO = {"id": "p-101", "name": "Bo Lindqvist", "dob": "1979-03-02", "phone": "555-0199",
      "email": None}


def chart(person: Mapping[str, str | None], *, email: bool = True, pronouns: bool = False
          ) -> str:
    """The chart page of ``person``; ``email``: whether the page has the email element;
    ``pronouns``: a new line inserted before the phone."""
    extra = "<dt>Pronouns</dt><dd>she/her</dd>" if pronouns else ""
    mail = f'<dt>Email</dt><dd class="email">{person["email"] or ""}</dd>' if email else ""
    return ('<html><head><meta name="app-version" content="4.2"></head><body>'
            f'<h1 class="banner" data-id="{person["id"]}">{person["name"]}</h1><dl>'
            f'<dt>DOB</dt><dd class="dob">{person["dob"]}</dd>{extra}'
            f'<dt>Phone</dt><dd>{person["phone"]}</dd>{mail}</dl></body></html>')


def workspace(root: Path) -> Path:
    """The map, the flow, and its baseline: Ann's chart, recorded on UI 4.0 (the golden
    holds the one record as the recorder writes it, a mapping)."""
    (root / "selectors" / "toy").mkdir(parents=True)
    (root / "selectors" / "toy" / "4.0.yaml").write_text(MAP)
    (root / "flows" / "toy").mkdir(parents=True)
    (root / "flows" / "toy" / "patient.yaml").write_text(FLOW)
    recording = root / "recordings" / "toy" / "patient" / "4.0" / "ann"
    recording.mkdir(parents=True)
    (recording / "golden.json").write_text(json.dumps({"outputs": {"patient": ANN}}))
    (recording / "meta.json").write_text(json.dumps({
        "portal": "toy", "flow": "toy.patient", "ui_version": "4.0", "scenario": "ann",
        "inputs": {"patient_id": "p-101"}, "portal_url": "http://127.0.0.1"}))
    (root / "portwright.toml").write_text('artifacts = "out"\nresolution_reuse_s = 0\n')
    return root


@pytest_asyncio.fixture(loop_scope="session")
async def engine(browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                 ) -> AsyncIterator[Engine]:
    monkeypatch.setenv("PORTWRIGHT_STATE", str(tmp_path / "state"))
    eng = Engine(load_settings(workspace(tmp_path / "ws")), browser=browser)
    yield eng
    await eng.close()


async def canary(engine: Engine, page: str) -> CanaryReport:
    with PagesServer({"/patients/p-101": page}) as site:
        return await run_canary(engine, "toy", site.url, ["toy.patient"],
                                inputs={"toy.patient": {"patient_id": "p-101"}})


async def test_an_unchanged_detail_page_is_healthy(engine: Engine) -> None:
    report = await canary(engine, chart(ANN))
    [check] = report.flows
    assert report.healthy and check.findings == []
    assert (check.records, check.baseline) == ({"patient": 1}, "4.0/ann")


async def test_a_field_whose_element_vanished_from_the_record_is_emptied(
        engine: Engine) -> None:
    """The chart lost its email line: the optional field reads nothing, the run
    succeeds. It was reported healthy."""
    report = await canary(engine, chart(ANN, email=False))
    assert not report.healthy
    [finding] = report.findings
    assert (finding.severity, finding.kind, finding.subject, finding.reads,
            finding.map_version) == ("drift", "field_emptied", "patient.email",
                                     "chart.email", "4.0")
    assert "empty in the live record, the baseline's own (4.0/ann)" in finding.detail
    assert "ann@clinic.invalid" not in report.model_dump_json()   # names, never values


async def test_a_field_reading_another_line_of_the_record_changed_kind(
        engine: Engine) -> None:
    """A line inserted before the phone: the positional selector reads the pronouns."""
    report = await canary(engine, chart(ANN, pronouns=True))
    [finding] = report.findings
    assert (finding.severity, finding.kind, finding.subject, finding.reads) == (
        "drift", "field_kind_changed", "patient.phone", "chart.phone")
    assert finding.detail.startswith("the live value is text; in the same record of the "
                                     "baseline (4.0/ann) it was numeric")


async def test_another_patients_empty_field_is_no_drift(engine: Engine) -> None:
    """The same id opens another patient here, with no email on file: one record of
    someone else says nothing about the page, so nothing is reported as drift."""
    report = await canary(engine, chart(BO))
    assert report.healthy
    [finding] = report.findings
    assert (finding.severity, finding.kind, finding.subject) == (
        "info", "record_unmatched", "patient")
    assert "Bo Lindqvist" not in report.model_dump_json()
