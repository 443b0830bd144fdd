"""A canary run that fails still reports what it had found (fallbacks, the map in use, the
UI version), whatever the failure: a step, the page matching no map, or an output the
flow never produced; and canaries sharing one engine at once each report their own run.

Toy pages (no sign-in) keep the runs short; the engine is the one the canary uses."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser

from portwright.runner.engine import Engine
from portwright.settings import load_settings
from portwright.testing.pages_server import PagesServer
from portwright_monitor import CanaryReport, FlowCheck, run_canary

pytestmark = pytest.mark.browser

ROWS = """<table><tbody><tr data-id="{id}"><td class="n">Ann</td></tr></tbody></table>
<button id="hello">Hello</button>"""
#: the UI the map was written for
PAGE = f'<html><head><meta name="app-version" content="4.2"></head><body>{ROWS}</body></html>'
#: a deployment no map knows (no app-version meta)
OTHER_UI = ('<html><head><meta name="app-build" content="9.0"></head><body>'
            + ROWS.format(id="1") + "</body></html>")

# Both the rows and the greeting lost the markup their primary strategy looks for: each is
# found only by its fallback (drift the canary reports, with the fix it proposes).
MAP = """portal: toy
version: "4.0"
detect:
  - {meta: app-version, matches: "^4\\\\."}
selectors:
  home.row: {strategies: [{css: "tbody tr.row"}, {css: "tbody tr"}], all: true}
  home.row.name: {strategies: [{css: "td.n"}], scope: home.row}
  home.hello: [{css: "#hello-button"}, {css: "#hello"}]
  home.gone: [{css: "#gone"}]
"""

ROWS_STEP = """  - {action: extract, into: rows, rows: home.row,
     fields: {id: {attr: data-id, transform: int}, name: home.row.name}}
"""
FLOWS = {
    "rows_then_gone.yaml": """flow: toy.rows_then_gone
steps:
  - {action: goto, url: "{{ portal.base_url }}/"}
""" + ROWS_STEP + """  - {action: click, target: home.gone, timeout_ms: 200}
""",
    "hello_then_gone.yaml": """flow: toy.hello_then_gone
steps:
  - {action: goto, url: "{{ portal.base_url }}/"}
  - {action: extract, into: greeting, target: home.hello, fields: {text: {}}}
  - {action: click, target: home.gone, timeout_ms: 200}
""",
    "rows.yaml": """flow: toy.rows
outputs:
  rows: {value: rows}
steps:
  - {action: goto, url: "{{ portal.base_url }}/"}
""" + ROWS_STEP,
    "other_ui_count.yaml": """flow: toy.other_ui_count
steps:
  - {action: goto, url: "{{ portal.base_url }}/other-ui"}
  - {action: extract, into: count, target: home.hello, fields: {count: {transform: int}}}
""",  # the greeting is no number: the step fails at once, before the version check answers
    "rows_uncounted.yaml": """flow: toy.rows_uncounted
outputs:
  count: {description: "how many rows (the flow forgot to set it)"}
steps:
  - {action: goto, url: "{{ portal.base_url }}/"}
""" + ROWS_STEP,
}


@pytest.fixture(scope="module")
def site() -> Iterator[PagesServer]:
    with PagesServer({"/": PAGE.format(id="1"), "/other-ui": OTHER_UI}) as server:
        yield server


@pytest_asyncio.fixture(loop_scope="session")
async def engine(browser: Browser, tmp_path: Path, site: PagesServer,
                 monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Engine]:
    ws = tmp_path / "ws"
    (ws / "selectors" / "toy").mkdir(parents=True)
    (ws / "selectors" / "toy" / "4.0.yaml").write_text(MAP)
    (ws / "flows" / "toy").mkdir(parents=True)
    for name, text in FLOWS.items():
        (ws / "flows" / "toy" / name).write_text(text)
    # as the canary command runs: every resolution classified afresh
    (ws / "portwright.toml").write_text('artifacts = "out"\nresolution_reuse_s = 0\n')
    monkeypatch.setenv("PORTWRIGHT_STATE", str(tmp_path / "state"))
    eng = Engine(load_settings(ws), browser=browser, portal_urls={"toy": site.url})
    yield eng
    await eng.close()


def findings(check: FlowCheck) -> set[tuple[str, str, str | None]]:
    return {(f.severity, f.kind, f.subject) for f in check.findings}


def only(report: CanaryReport) -> FlowCheck:
    [check] = report.flows
    return check


async def test_canaries_sharing_an_engine_at_once_each_report_their_own_fallbacks(
        engine: Engine, site: PagesServer) -> None:
    rows, hello = await asyncio.gather(
        run_canary(engine, "toy", site.url, ["toy.rows_then_gone"]),
        run_canary(engine, "toy", site.url, ["toy.hello_then_gone"]))
    assert findings(only(rows)) == {("failed", "run_failed", "home.gone"),
                                    ("drift", "fallback", "home.row")}
    assert findings(only(hello)) == {("failed", "run_failed", "home.gone"),
                                     ("drift", "fallback", "home.hello")}
    for check in (only(rows), only(hello)):
        assert (check.ui_version, check.selector_map_version) == ("4.0", "4.0")


async def test_a_page_no_map_matches_is_reported_with_what_the_run_had_found(
        engine: Engine, site: PagesServer) -> None:
    """The first run confirms UI 4.0 for the session; the next one starts on that map
    at once, and the page proves to match none (a deployment the maps do not know)."""
    report = await run_canary(engine, "toy", site.url, ["toy.rows", "toy.other_ui_count"])
    confirmed, other = report.flows
    assert findings(confirmed) == {("drift", "fallback", "home.row")}
    [failure] = [f for f in other.findings if f.severity == "failed"]
    assert failure.kind == "ui_version_unknown"
    assert failure.detail.startswith("the page matches no selector map of 'toy'")
    assert "meta app-version ~ ^4\\.: absent" in failure.detail
    # what it had found on the way: the fallback, on the map it was using; the page's
    # UI version is unknown (the run's assumption was never confirmed)
    assert findings(other) == {("failed", "ui_version_unknown", None),
                               ("drift", "fallback", "home.hello")}
    assert (other.selector_map_version, other.ui_version) == ("4.0", None)


async def test_an_output_the_flow_never_produced_still_reports_the_runs_fallbacks(
        engine: Engine, site: PagesServer) -> None:
    check = only(await run_canary(engine, "toy", site.url, ["toy.rows_uncounted"]))
    assert findings(check) == {("failed", "run_failed", None),
                               ("drift", "fallback", "home.row")}
    [failure] = [f for f in check.findings if f.kind == "run_failed"]
    assert "output 'count' was never produced" in failure.detail
    assert (check.ui_version, check.selector_map_version) == ("4.0", "4.0")
    assert check.artifacts  # the failure's screenshot and step log
