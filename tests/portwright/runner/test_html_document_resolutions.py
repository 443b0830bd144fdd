"""Names read by ``extract html:`` are credited, in the resolution log and in selector
errors, to the fetched document they were looked for in, not to the page the session
happens to be on: the canary and ``selectors`` reports say where a name was found from
that log. The document's query (a record number, a name searched for) is cut."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser

from portwright.engine import Engine, RunResult
from portwright.exceptions import SelectorNotFound
from portwright.flow.loader import load_flow_text
from portwright.settings import load_settings
from portwright.testing.pages_server import PagesServer

pytestmark = pytest.mark.browser

HEAD = '<html><head><meta name="app-version" content="3.1.0"></head><body>'

ROUTES = {
    "/": HEAD + "<h1>Home</h1></body></html>",
    "/charts/ada": HEAD + '<div id="banner"><span id="first">Ada</span></div></body></html>',
    "/charts/bo": HEAD + '<div id="banner"><span class="given">Bo</span></div></body></html>',
}

MAP = """
portal: docs
version: "3.1"
detect:
  - {meta: app-version, matches: "^3\\\\.1"}
selectors:
  chart: [{css: "#banner"}]
  chart.first: [{css: "#first"}, {css: ".given"}]
  chart.gone: [{css: "#nothing-here"}]
"""

#: the session stays on the home page; the charts are fetched, with a record number
FETCH = """  - {action: goto, url: "{{ portal.base_url }}/"}
  - {action: request, url: "{{ portal.base_url }}/charts/ada?mrn=A-1001", into: ada}
  - {action: request, url: "{{ portal.base_url }}/charts/bo?mrn=B-2002", into: bo}
"""


@pytest.fixture(scope="module")
def server() -> Iterator[PagesServer]:
    with PagesServer(ROUTES) as srv:
        yield srv


@pytest_asyncio.fixture
async def engine(browser: Browser, tmp_path: Path, server: PagesServer
                 ) -> AsyncIterator[Engine]:
    (tmp_path / "portwright.toml").write_text('flows = "flows"\n')
    (tmp_path / "selectors" / "docs").mkdir(parents=True)
    (tmp_path / "selectors" / "docs" / "3.1.yaml").write_text(MAP)
    (tmp_path / "flows").mkdir()
    eng = Engine(load_settings(tmp_path, step_timeout_ms=3000), browser=browser,
                 portal_urls={"docs": server.url})
    yield eng
    await eng.close()


async def run(engine: Engine, steps: str) -> RunResult:
    text = f"flow: docs.case\noutputs:\n  read: {{value: read}}\nsteps:\n{FETCH}{steps}"
    return await engine.run(load_flow_text(text, "case.yaml"))


def credited(result: RunResult) -> list[tuple[str, str | None, str]]:
    """(name, strategy, url) of every resolution, in order."""
    return [(r.name, r.strategy, r.url) for r in result.resolutions]


async def test_names_read_from_a_fetched_document_are_credited_to_that_document(
        engine: Engine, server: PagesServer) -> None:
    result = await run(engine, """  - action: extract
    into: read
    html: "{{ ada.text }}"
    target: chart
    fields: {first: chart.first}
""")
    assert result.outputs["read"] == {"first": "Ada"}
    ada = f"{server.url}/charts/ada?…"
    assert credited(result) == [("chart", "css=#banner", ada),
                                ("chart.first", "css=#first", ada)]


async def test_each_document_of_a_loop_is_credited_with_what_was_found_in_it(
        engine: Engine, server: PagesServer) -> None:
    result = await run(engine, """  - action: foreach
    items: "[ada, bo]"
    as: doc
    steps:
      - action: extract
        into: one
        html: "{{ doc['text'] }}"
        fields: {first: chart.first}
  - {action: set, values: {read: done}}
""")
    assert credited(result) == [
        ("chart.first", "css=#first", f"{server.url}/charts/ada?…"),
        ("chart.first", "css=.given", f"{server.url}/charts/bo?…")]  # the fallback: bo's


async def test_a_document_whose_template_is_no_plain_text_reference_is_found_by_its_text(
        engine: Engine, server: PagesServer) -> None:
    result = await run(engine, """  - action: extract
    into: read
    html: "{{ bo.text if bo.status == 200 else '' }}"
    fields: {first: chart.first}
""")
    assert result.outputs["read"] == {"first": "Bo"}
    assert credited(result) == [("chart.first", "css=.given", f"{server.url}/charts/bo?…")]


async def test_a_name_missing_from_a_fetched_document_is_reported_on_that_document(
        engine: Engine, server: PagesServer) -> None:
    with pytest.raises(SelectorNotFound) as info:
        await run(engine, """  - action: extract
    into: read
    html: "{{ ada.text }}"
    target: chart.gone
    fields: {first: chart.first}
""")
    assert info.value.url == f"{server.url}/charts/ada?…"
    assert "A-1001" not in str(info.value)
