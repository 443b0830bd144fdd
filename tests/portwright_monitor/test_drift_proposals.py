"""A portal whose UI drifted from the committed map, served over real HTTP: the canary
reports each drift by flow, step, logical name and map version, and its proposed fix,
applied, reads the data the baseline recorded.

The worst drift reads wrong data without failing: a column moved under a positional
selector. The canary compares the kinds of values (digits, emails, dates, words) with its
baseline's, never the values."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser
from typer.testing import CliRunner

from portwright.cli.app import app as portwright_app
from portwright.runner.engine import Engine
from portwright.settings import load_settings
from portwright.testing.pages_server import PagesServer
from portwright_monitor import CanaryReport, run_canary
from portwright_monitor.cli import app
from portwright_monitor.value_kinds import changed_kinds, value_kind

ROWS = [("1", "Ann Smith", "1234567890", "ann@clinic.invalid"),
        ("2", "Bob Jones", "2345678901", "bob@clinic.invalid")]
#: what the flow read from the UI the map was written for (the committed recording)
BASELINE = [{"id": i, "name": n, "npi": npi, "email": e} for i, n, npi, e in ROWS]
SAVE = '<button id="save-btn" data-testid="save">Save</button>'


def portal(columns: tuple[str, ...] = ("name", "npi", "email"), name_class: str = "name",
           save: str = SAVE, before: str = "", version: str = "4.2") -> str:
    """The portal's one page (of app ``version``): a Save button and a table of the
    ``columns``, in order."""
    at = {"name": 1, "npi": 2, "email": 3}
    cells = "".join(
        f'<tr data-id="{row[0]}">' + "".join(
            f'<td class="{name_class if c == "name" else c}">{row[at[c]]}</td>'
            for c in columns) + "</tr>" for row in ROWS)
    return (f'<html><head><meta name="app-version" content="{version}"></head><body>'
            f"{before}{save}<table><tbody>{cells}</tbody></table></body></html>")


MAP = """portal: toy
version: "4.0"
detect:
  - {meta: app-version, matches: "^4\\\\."}
selectors:
  home.row: {strategies: [{css: "tbody tr"}], all: true}
  home.row.name: [{css: "td.name"}, {css: "td:nth-child(1)"}]
  home.row.npi: [{css: "td:nth-child(2)"}]
  home.row.email: [{css: "td:nth-child(3)"}]
  home.save: [{test_id: save}, {role: button, name: "Save", exact: true}]
"""
FLOW = """flow: toy.list
mutates: false
outputs:
  rows: {value: rows}
steps:
  - {action: goto, url: "{{ portal.base_url }}/"}
  - {action: click, id: press-save, target: home.save, timeout_ms: 1000}
  - {action: extract, id: read-rows, into: rows, rows: home.row,
     fields: {id: {attr: data-id}, name: home.row.name, npi: home.row.npi,
              email: {target: home.row.email, optional: true}}}
"""


#: the same, opened for one patient: the page's URL holds PHI in its query
PATIENT_FLOW = FLOW.replace("flow: toy.list", "flow: toy.patient").replace(
    "/\"}", "/?mrn=MRN-20417\"}")


def workspace(root: Path) -> Path:
    """The toy portal's map, flows and baseline recording (UI 4.0)."""
    (root / "selectors" / "toy").mkdir(parents=True)
    (root / "selectors" / "toy" / "4.0.yaml").write_text(MAP)
    (root / "flows" / "toy").mkdir(parents=True)
    (root / "flows" / "toy" / "list.yaml").write_text(FLOW)
    (root / "flows" / "toy" / "patient.yaml").write_text(PATIENT_FLOW)
    recording = root / "recordings" / "toy" / "list" / "4.0" / "all"
    recording.mkdir(parents=True)
    (recording / "golden.json").write_text(json.dumps({"outputs": {"rows": BASELINE}}))
    (recording / "meta.json").write_text(json.dumps({
        "portal": "toy", "flow": "toy.list", "ui_version": "4.0", "scenario": "all",
        "portal_url": "http://127.0.0.1"}))
    (root / "portwright.toml").write_text('artifacts = "out"\nresolution_reuse_s = 0\n')
    return root


@pytest_asyncio.fixture(loop_scope="session")
async def engine(browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                 ) -> AsyncIterator[Engine]:
    monkeypatch.setenv("PORTWRIGHT_STATE", str(tmp_path / "state"))
    eng = Engine(load_settings(workspace(tmp_path / "ws")), browser=browser)
    yield eng
    await eng.close()


async def canary(engine: Engine, page: str, flow: str = "toy.list") -> CanaryReport:
    with PagesServer({"/": page}) as site:
        return await run_canary(engine, "toy", site.url, [flow])


def kinds(report: CanaryReport) -> set[tuple[str, str | None]]:
    return {(f.kind, f.subject) for f in report.findings}


@pytest.mark.browser
async def test_a_reordered_column_is_drift_naming_the_fields_and_their_selectors(
        engine: Engine) -> None:
    """NPI and email swapped places: every selector finds a cell, the run succeeds, and
    the NPI field holds emails. It was reported healthy. Each of the two rows, the
    baseline's own, holds the two fields' values exchanged: where they went is named too."""
    assert kinds(await canary(engine, portal())) == set()   # the UI the map knows
    report = await canary(engine, portal(columns=("name", "email", "npi")))
    assert not report.healthy
    assert kinds(report) == {("field_kind_changed", "rows.npi"),
                             ("field_kind_changed", "rows.email"),
                             ("field_values_moved", "rows.npi"),
                             ("field_values_moved", "rows.email")}
    assert {(f.subject, f.now_holds) for f in report.findings
            if f.kind == "field_values_moved"} == {("rows.npi", "rows.email"),
                                                   ("rows.email", "rows.npi")}
    npi = next(f for f in report.findings
               if f.subject == "rows.npi" and f.kind == "field_kind_changed")
    assert (npi.severity, npi.flow, npi.map_version) == ("drift", "toy.list", "4.0")
    assert "every live value is email" in npi.detail
    assert "read through home.row.npi" in npi.detail
    assert "ann@clinic.invalid" not in npi.detail   # kinds, never page data


@pytest.mark.browser
async def test_a_click_a_dialog_blocks_names_the_step_and_the_logical_name(
        engine: Engine) -> None:
    """A "what's new" dialog covers the page: the Save button is found, the click never
    lands. The finding named no logical name to look at."""
    dialog = ('<div role="dialog" style="position:fixed;inset:0;z-index:9;background:#fff">'
              "<p>What's new</p><button>Got it</button></div>")
    report = await canary(engine, portal(before=dialog))
    [failure] = report.findings
    assert (failure.severity, failure.kind, failure.subject) == (
        "failed", "run_failed", "home.save")
    assert "at step press-save" in failure.detail
    assert failure.map_version == "4.0"


@pytest.mark.browser
async def test_a_name_nothing_finds_carries_its_map_version_and_the_strategies_tried(
        engine: Engine) -> None:
    """The test id and the text both changed: the report named the name but left the
    map version and the selectors that failed to the free text."""
    save = '<button data-testid="save-v2">Save changes</button>'
    report = await canary(engine, portal(save=save))
    [failure] = report.findings
    assert (failure.kind, failure.subject, failure.map_version) == (
        "run_failed", "home.save", "4.0")
    assert failure.strategy == 'test_id="save" → 0; role=button[name="Save"] → 0'


@pytest.mark.browser
async def test_a_page_no_map_matches_is_reported_without_the_urls_query(
        engine: Engine) -> None:
    """The app-version meta changed (5.0): no map matches. The finding quotes what the
    page showed, and quoted the page's URL whole, the patient's MRN with it."""
    assert "?mrn=MRN-20417" in PATIENT_FLOW
    report = await canary(engine, portal(version="5.0"), flow="toy.patient")
    [failure] = report.findings
    assert failure.kind == "ui_version_unknown"
    assert "the page matches no selector map of 'toy'" in failure.detail
    assert "meta app-version ~ ^4\\.: found '5.0', no match" in failure.detail
    assert "MRN-20417" not in report.model_dump_json()
    assert not any("MRN-20417" in line for line in report.summary())


@pytest.mark.browser
def test_the_proposed_fix_of_a_renamed_class_reads_the_baselines_data(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command a job runs: drift found by the fallback, the map file proposed, and the
    proposal, moved into place, runs with no drift and reads what the baseline read."""
    ws = workspace(tmp_path / "ws")
    monkeypatch.chdir(ws)
    monkeypatch.setenv("PORTWRIGHT_STATE", str(tmp_path / "state"))
    with PagesServer({"/": portal(name_class="full-name")}) as site:
        def run(*extra: str) -> tuple[int, str]:
            result = CliRunner().invoke(app, [
                "canary", "toy", "--portal-url", site.url, "--flow", "toy.list", *extra],
                env={"COLUMNS": "250"})
            return result.exit_code, result.output

        code, output = run("--report", "drift.json", "--propose", "fix.yaml")
        assert code == 1, output
        [finding] = json.loads((ws / "drift.json").read_text())["flows"][0]["findings"]
        assert (finding["kind"], finding["subject"], finding["strategy_index"],
                finding["map_version"]) == ("fallback", "home.row.name", 1, "4.0")
        (ws / "fix.yaml").replace(ws / "selectors" / "toy" / "4.0.yaml")
        code, output = run("--report", "again.json")
        assert code == 0, output
        assert json.loads((ws / "again.json").read_text())["flows"][0]["findings"] == []
        result = CliRunner().invoke(portwright_app, [
            "run", "toy.list", "--portal-url", site.url, "--out", "rows.json"])
        assert result.exit_code == 0, result.output
    assert json.loads((ws / "rows.json").read_text())["outputs"]["rows"] == BASELINE


@pytest.mark.browser
def test_a_fallback_that_reads_the_wrong_column_is_not_proposed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The name cell lost its class and the NPI column moved first: the fallback
    ``td:nth-child(1)`` finds a cell, the NPI. Proposed, it made the wrong read the map's
    first choice (and the canary then reported nothing about the name). The two rows
    show the name and the NPI exchanged, so what is proposed is the exchange: each name
    gets the strategy that finds its data now, and the map reads the baseline's data."""
    ws = workspace(tmp_path / "ws")
    monkeypatch.chdir(ws)
    monkeypatch.setenv("PORTWRIGHT_STATE", str(tmp_path / "state"))
    page = portal(columns=("npi", "name", "email"), name_class="full-name")
    with PagesServer({"/": page}) as site:
        result = CliRunner().invoke(app, [
            "canary", "toy", "--portal-url", site.url, "--flow", "toy.list",
            "--report", "drift.json", "--propose", "fix.yaml"], env={"COLUMNS": "250"})
        assert result.exit_code == 1, result.output
        findings = json.loads((ws / "drift.json").read_text())["flows"][0]["findings"]
        assert {(f["kind"], f["subject"], f["reads"]) for f in findings} >= {
            ("fallback", "home.row.name", None),
            ("field_kind_changed", "rows.name", "home.row.name"),
            ("field_values_moved", "rows.name", "home.row.name"),
            ("field_values_moved", "rows.npi", "home.row.npi")}
        assert "proposed: home.row.name: css=td:nth-child(1) first" not in result.output
        assert "by hand: home.row.name: found by css=td:nth-child(1), but it reads " \
            "rows.name wrong" in result.output
        (ws / "fix.yaml").replace(ws / "selectors" / "toy" / "4.0.yaml")
        run = CliRunner().invoke(portwright_app, [
            "run", "toy.list", "--portal-url", site.url, "--out", "rows.json"])
        assert run.exit_code == 0, run.output
    assert json.loads((ws / "rows.json").read_text())["outputs"]["rows"] == BASELINE


def test_value_kinds_ignore_the_data_and_see_what_kind_it_is() -> None:
    assert [value_kind(v) for v in ("1234567890", "(206) 555-0100", "ann@clinic.invalid",
                                    "2026-12-03", "12/3/2026", "Ann Smith", "363LP0808X",
                                    7, None, "")] == [
        "numeric", "numeric", "email", "date", "date", "text", "text", "numeric", None,
        None]
    baseline = {"outputs": {"rows": BASELINE}}
    other_people = [{"id": "9", "name": "Cy Doe-Ray", "npi": "9999999999",
                     "email": "cy@elsewhere.invalid"}]
    assert changed_kinds(baseline, {"rows": other_people}) == {}   # live data differ
    swapped = [{**other_people[0], "npi": "cy@elsewhere.invalid", "email": "9999999999"}]
    assert changed_kinds(baseline, {"rows": swapped}) == {"rows": {
        "email": (["email"], ["numeric"]), "npi": (["numeric"], ["email"])}}
    assert changed_kinds(baseline, {"rows": []}) == {}   # nothing came back: no judging
