"""``extract`` with ``html``: fields read from a document fetched by ``request``, in real
Chromium against a real HTTP server, compared with reading the same document as a page."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import Browser

from portwright.engine import Engine, RunResult
from portwright.exceptions import SelectorMapError, SelectorNotFound
from portwright.flow.loader import load_flow_text
from portwright.settings import load_settings
from portwright.testing.pages_server import PagesServer, Reply

pytestmark = pytest.mark.browser

HEAD = '<html><head><meta name="app-version" content="3.1.0"></head><body>'

# whitespace as templates leave it: indentation and line breaks inside single-line values
CHART = HEAD + """
<div id="banner" data-id="p-42">
  <h2>Chart</h2>
  <span id="first">
      Ada
  </span>
  <span id="last">  Lovelace\t</span>
  <span data-testid="dob">12/10/1815</span>
  <span id="nick"></span>
  <div id="address">12 Main St<br>
      Apt  4 <br>Springfield</div>
  <ul id="tags"><li>alpha</li><li> beta </li></ul>
  <span id="nbsp">Dr.&nbsp;Who</span>
  <div id="notes"><p>First   line</p>
    <p>Second</p></div>
</div>
<table id="policies"><tbody>
  <tr class="policy" data-id="pol-1"><td class="rank"> primary </td><td class="member">M 1</td></tr>
  <tr class="policy" data-id="pol-2"><td class="rank">secondary</td>
      <td class="member">
        M 2
      </td></tr>
</tbody></table>
<button>Save</button>
</body></html>"""

SCRIPTED = HEAD + """
<span id="value">as served</span>
<img src="/beacon?from=img">
<link rel="stylesheet" href="/beacon?from=css">
<script>fetch('/beacon?from=script');
document.getElementById('value').textContent = 'changed by a script';</script>
</body></html>"""

ROUTES: dict[str, Any] = {
    "/": HEAD + "<h1 id='home'>Home</h1></body></html>",
    "/chart": CHART,
    "/scripted": SCRIPTED,
    "/beacon": Reply("", 204),
}

MAP = """
portal: htmltoy
version: "3.1"
detect:
  - {meta: app-version, matches: "^3\\\\.1"}
selectors:
  chart: [{css: "#banner"}]
  chart.first: [{css: "#first"}]
  chart.last: [{xpath: "//span[@id='last']"}]
  chart.dob: [{test_id: dob}]
  chart.nick: [{css: "#nick"}]
  chart.address: [{css: "#address"}]
  chart.tags: [{css: "#tags"}]
  chart.title: [{css: "#banner h2"}]
  chart.nbsp: [{css: "#nbsp"}]
  chart.notes: [{css: "#notes"}]
  chart.moved: [{css: "#old-first"}, {css: "#first"}]
  chart.gone: [{css: "#nothing-here"}]
  chart.save: [{role: button, name: "Save"}]
  chart.mixed: [{css: "#first"}, {text: "Ada"}]
  chart.widget: [{css: "iframe#widget"}]
  chart.framed: {strategies: [{css: "#first"}], frame: chart.widget}
  policy.row: {strategies: [{css: "tr.policy"}], all: true}
  policy.rank: {strategies: [{css: "td.rank"}], scope: policy.row}
  policy.member: {strategies: [{css: "td.member"}], scope: policy.row}
  scripted.value: [{css: "#value"}]
"""


@pytest.fixture(scope="module")
def server() -> Iterator[PagesServer]:
    with PagesServer(ROUTES) as srv:
        yield srv


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("htmlws")
    (root / "portwright.toml").write_text('flows = "flows"\n')
    (root / "selectors" / "htmltoy").mkdir(parents=True)
    (root / "selectors" / "htmltoy" / "3.1.yaml").write_text(MAP)
    (root / "flows" / "htmltoy").mkdir(parents=True)
    return root


@pytest_asyncio.fixture
async def engine(browser: Browser, workspace: Path, server: PagesServer
                 ) -> AsyncIterator[Engine]:
    settings = load_settings(workspace, step_timeout_ms=3000)
    eng = Engine(settings, browser=browser, portal_urls={"htmltoy": server.url})
    yield eng
    await eng.close()


async def run(engine: Engine, steps: str, outputs: str) -> RunResult:
    text = f"flow: htmltoy.case\noutputs:\n{outputs}steps:\n{steps}"
    return await engine.run(load_flow_text(text, "case.yaml"))


FIELDS = """    fields:
      patient_id: {attr: data-id}
      first: chart.first
      last: chart.last
      dob: chart.dob
      nick: {target: chart.nick, transform: empty_none}
      address: chart.address
      tags: chart.tags
      nbsp: chart.nbsp
      moved: chart.moved
      gone: {target: chart.gone, optional: true}
"""
ROWS = """    rows: policy.row
    fields:
      policy_id: {attr: data-id}
      rank: policy.rank
      member: policy.member
"""
FETCH = """  - {action: goto, url: "{{ portal.base_url }}/"}
  - {action: request, url: "{{ portal.base_url }}/chart", into: tab}
"""


async def test_fields_from_fetched_html_equal_the_page_extraction(engine: Engine) -> None:
    result = await run(engine, FETCH + """  - action: extract
    into: from_html
    html: "{{ tab.text }}"
    target: chart
""" + FIELDS + """  - action: extract
    into: rows_html
    html: "{{ tab.text }}"
""" + ROWS + """  - {action: goto, url: "{{ portal.base_url }}/chart"}
  - action: extract
    into: from_page
    target: chart
""" + FIELDS + """  - action: extract
    into: rows_page
""" + ROWS, "  one: {value: '[from_html, from_page]'}\n  rows: {value: '[rows_html, rows_page]'}\n")
    from_html, from_page = result.outputs["one"]
    assert from_html == from_page
    # what the markup shows, whitespace as a reader sees it (not as the template left it)
    assert from_html == {
        "patient_id": "p-42", "first": "Ada", "last": "Lovelace", "dob": "12/10/1815",
        "nick": None, "address": "12 Main St\nApt 4\nSpringfield", "tags": "alpha\nbeta",
        "nbsp": "Dr.\u00a0Who", "moved": "Ada", "gone": None}
    rows_html, rows_page = result.outputs["rows"]
    assert rows_html == rows_page == [
        {"policy_id": "pol-1", "rank": "primary", "member": "M 1"},
        {"policy_id": "pol-2", "rank": "secondary", "member": "M 2"}]


async def test_fetched_html_reading_is_logged_as_resolutions_without_moving_the_page(
        engine: Engine) -> None:
    result = await run(engine, FETCH + """  - action: extract
    into: one
    html: "{{ tab.text }}"
    target: chart
""" + FIELDS, "  one: {value: one}\n")
    found = {r.name: r for r in result.resolutions}
    assert found["chart.first"].outcome == "primary"
    assert found["chart.moved"].outcome == "fallback"
    assert found["chart.moved"].strategy == "css=#first"
    assert found["chart.gone"].outcome == "absent"
    assert found["chart"].count == 1
    logged = str([s.model_dump() for s in result.steps]) + str(
        [r.model_dump() for r in result.resolutions])
    assert "Lovelace" not in logged and "Springfield" not in logged  # no page data in logs
    steps = [s for s in result.steps if s.action == "goto"]
    assert len(steps) == 1  # the fetched chart was never opened as a page


async def test_missing_field_in_fetched_html_is_a_selector_error(engine: Engine) -> None:
    with pytest.raises(SelectorNotFound, match=r"'chart\.gone'"):
        await run(engine, FETCH + """  - action: extract
    into: one
    html: "{{ tab.text }}"
    fields: {gone: chart.gone}
""", "  one: {value: one}\n")


async def test_scripts_and_subresources_of_fetched_html_never_run(
        engine: Engine, server: PagesServer) -> None:
    before = len(server.requests)
    result = await run(engine, """  - {action: goto, url: "{{ portal.base_url }}/"}
  - {action: request, url: "{{ portal.base_url }}/scripted", into: doc}
  - action: extract
    into: one
    html: "{{ doc.text }}"
    fields: {value: scripted.value}
  - {action: goto, url: "{{ portal.base_url }}/"}
""", "  one: {value: one}\n")
    assert result.outputs["one"] == {"value": "as served"}
    paths = [r.path for r in server.requests[before:]]
    assert "/beacon" not in paths
    assert paths.count("/scripted") == 1  # the request step's fetch, nothing else


async def test_paragraphs_read_as_lines_without_the_blank_line_between(
        engine: Engine) -> None:
    """The one documented difference from the page: ``innerText`` separates paragraphs
    by a blank line (layout), fetched HTML by a line break."""
    result = await run(engine, FETCH + """  - action: extract
    into: from_html
    html: "{{ tab.text }}"
    fields: {notes: chart.notes}
  - {action: goto, url: "{{ portal.base_url }}/chart"}
  - action: extract
    into: from_page
    fields: {notes: chart.notes}
""", "  both: {value: '[from_html.notes, from_page.notes]'}\n")
    assert result.outputs["both"] == ["First line\nSecond", "First line\n\nSecond"]


@pytest.mark.parametrize(("field", "name", "strategy"), [
    ("save", "chart.save", 'role=button[name="Save"]'),
    ("mixed", "chart.mixed", 'text="Ada"'),
    ("framed", "chart.framed", "frame=chart.widget"),  # fetched HTML loads no frames
])
async def test_strategy_needing_a_rendered_page_is_refused(
        engine: Engine, field: str, name: str, strategy: str) -> None:
    with pytest.raises(SelectorMapError) as caught:
        await run(engine, FETCH + f"""  - action: extract
    into: one
    html: "{{{{ tab.text }}}}"
    fields: {{first: chart.first, {field}: {name}}}
""", "  one: {value: one}\n")
    message = str(caught.value)
    assert f"field '{field}'" in message
    assert f"'{name}'" in message
    assert strategy in message
    assert "needs a rendered page" in message


def test_paginate_with_html_is_refused_when_the_flow_loads() -> None:
    from portwright.exceptions import FlowDefinitionError

    with pytest.raises(FlowDefinitionError, match="'paginate' with 'html'"):
        load_flow_text("""flow: htmltoy.case
steps:
  - action: extract
    into: rows
    html: "{{ x }}"
    rows: policy.row
    fields: {rank: policy.rank}
    paginate: {next: chart.first}
""", "case.yaml")
