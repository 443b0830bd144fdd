"""Selector maps reach into <iframe>s: an entry names ``frame`` (the logical name of the
iframe element, or its strategies inline) and is found in that frame's document. Flows
fill and read there, frames nest, rows inside a frame are extracted, a missing frame is
reported as the frame, the resolution log names the frame, the loader refuses frames it
cannot resolve, and ``selectors check`` counts names inside frames. Real Chromium, pages
served over real HTTP (iframes load their own URLs, as a portal's widgets do)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page
from typer.testing import CliRunner

from portwright.cli.app import app
from portwright.engine import Engine, RunResult
from portwright.exceptions import SelectorNotFound
from portwright.flow.loader import load_flow_text
from portwright.selector_map.check import NameCheck, check_page
from portwright.selector_map.loader import ResolvedMap, SelectorMapProblems, load_portal_maps
from portwright.selector_map.memory import ResolutionMemory
from portwright.selector_map.proposal import propose_map_fix
from portwright.selector_map.resolver import Resolution, Resolver
from portwright.settings import load_settings
from portwright.testing.pages_server import PageRequest, PagesServer, Reply

HEAD = '<html><head><meta name="app-version" content="1.0.3"></head><body>'

HOME = HEAD + """<h1>Billing</h1>
<iframe id="pay" src="/pay"></iframe>
<iframe id="outer" src="/outer"></iframe>
<iframe title="Visits" src="/visits"></iframe>
</body></html>"""

#: a payment widget: what is typed into the card field is echoed back by its own script
PAY = """<html><body><form>
<label>Card number <input id="card"
  oninput="document.getElementById('echo').textContent = 'card:' + this.value"></label>
</form><p id="echo"></p></body></html>"""

OUTER = '<html><body><p>Scheduler</p><iframe id="inner" src="/inner"></iframe></body></html>'
INNER = '<html><body><b id="deep">Next slot: 09:30</b></body></html>'

VISITS = [(i, f"Visit {i:02d}") for i in range(1, 6)]


def visits(request: PageRequest) -> Reply:
    """A legacy list in a frame, two rows a page, paged by a link inside the frame."""
    page = int(request.query.get("page", "1"))
    shown = VISITS[(page - 1) * 2: page * 2]
    rows = "".join(f'<tr data-id="{i}"><td class="what">{what}</td></tr>' for i, what in shown)
    more = f'<a id="more" href="/visits?page={page + 1}">Next</a>' if page * 2 < len(VISITS) \
        else ""
    return Reply(f'<html><body><table id="visits"><tbody>{rows}</tbody></table>{more}'
                 "</body></html>")


ROUTES: dict[str, Any] = {
    "/": HOME,
    "/bare": HEAD + "<h1>Billing</h1><p>The payment widget is gone.</p></body></html>",
    "/pay": PAY,
    "/pay-v2": '<html><body><label>Card <input id="card-v2"></label></body></html>',
    "/outer": OUTER,
    "/inner": INNER,
    "/visits": visits,
}

MAP = """portal: toy
version: "1.0"
detect:
  - {meta: app-version, matches: "^1\\\\."}
pages:
  billing: {path: /}
selectors:
  billing.title: [{css: h1}]
  billing.pay_frame: [{css: "iframe#pay"}, {css: 'iframe[title="Payment"]'}]
  billing.card: {strategies: [{label: "Card number"}], frame: billing.pay_frame}
  billing.echo: {strategies: [{css: "#echo"}], frame: billing.pay_frame}
  billing.outer: [{css: "iframe#outer"}]
  billing.inner: {strategies: [{css: "iframe#inner"}], frame: billing.outer}
  billing.next_slot: {strategies: [{css: "#deep"}], frame: billing.inner}
  billing.visit: {strategies: [{css: "#visits tbody tr"}], all: true,
                  frame: [{css: 'iframe[title="Visits"]'}]}
  billing.visit.what: [{css: "td.what"}]
  billing.visit_next: {strategies: [{css: "#more"}], frame: [{css: 'iframe[title="Visits"]'}]}
  billing.gone: {strategies: [{css: "#nothing-like-it"}], frame: billing.pay_frame}
  billing.card_input: {strategies: [{css: "#card"}, {css: "#card-v2"}], frame: billing.pay_frame}
  billing.heading_text: {strategies: [{css: "b"}], frame: billing.title}
"""

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server() -> Iterator[PagesServer]:
    with PagesServer(ROUTES) as pages:
        yield pages


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("frames")
    (root / "portwright.toml").write_text('flows = "flows"\n')
    (root / "selectors" / "toy").mkdir(parents=True)
    (root / "selectors" / "toy" / "1.0.yaml").write_text(MAP)
    (root / "flows" / "toy").mkdir(parents=True)
    return root


@pytest.fixture(scope="module")
def smap(workspace: Path) -> ResolvedMap:
    return load_portal_maps(workspace / "selectors" / "toy")["1.0"]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def engine(browser: Browser, workspace: Path, server: PagesServer
                 ) -> AsyncIterator[Engine]:
    settings = load_settings(workspace, step_timeout_ms=4000, artifact_privacy="full")
    engine = Engine(settings, browser=browser, portal_urls={"toy": server.url})
    yield engine
    await engine.close()


@pytest_asyncio.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context()
    yield await context.new_page()
    await context.close()


async def run(engine: Engine, steps: str, path: str = "/") -> RunResult:
    text = (f'flow: toy.case\noutputs:\n  got: {{value: got}}\nsteps:\n'
            f'  - {{action: goto, url: "{{{{ portal.base_url }}}}{path}"}}\n{steps}')
    return await engine.run(load_flow_text(text, "case.yaml"), {})


async def test_a_flow_fills_and_reads_an_input_inside_an_iframe(engine: Engine) -> None:
    result = await run(engine, """  - {action: fill, target: billing.card, value: "4242 4242"}
  - action: extract
    into: got
    fields:
      echoed: billing.echo
      title: billing.title
""")
    # the widget's own script saw the typing: the value reached the input in the frame
    assert result.outputs["got"] == {"echoed": "card:4242 4242", "title": "Billing"}
    names = [r.name for r in result.resolutions]
    assert "billing.pay_frame" in names  # the frame entered is in the resolution log
    # and the run result says which frame each name was found in (drift reports read it)
    frames = {r.name: r.frame for r in result.resolutions}
    assert frames["billing.card"] == "billing.pay_frame"
    assert frames["billing.pay_frame"] is None


async def test_a_nested_frame_is_reached_through_its_chain(engine: Engine) -> None:
    result = await run(engine, """  - action: extract
    into: got
    fields:
      slot: billing.next_slot
""")
    assert result.outputs["got"] == {"slot": "Next slot: 09:30"}


async def test_rows_inside_an_iframe_are_extracted_with_fields_across_pages(
        engine: Engine) -> None:
    result = await run(engine, """  - action: extract
    into: got
    rows: billing.visit
    fields:
      id: {attr: data-id, transform: int}
      what: billing.visit.what
    paginate: {next: billing.visit_next, max_pages: 5}
""")
    assert result.outputs["got"] == [{"id": i, "what": what} for i, what in VISITS]


async def test_a_missing_frame_is_reported_as_the_frame(engine: Engine) -> None:
    with pytest.raises(SelectorNotFound) as info:
        await run(engine, "  - {action: fill, target: billing.card, value: '4242', "
                  "timeout_ms: 1500}\n", path="/bare")
    error = info.value
    assert error.name == "billing.pay_frame"
    # the frame's strategies, not the card field's
    assert error.strategies == ["css=iframe#pay → 0", 'css=iframe[title="Payment"] → 0']
    assert "<iframe> that holds 'billing.card' was not found" in str(error)
    assert "billing.pay_frame" in (error.hint or "")


async def test_the_resolution_log_names_the_frame_each_name_was_found_in(
        page: Page, server: PagesServer, smap: ResolvedMap) -> None:
    await page.goto(server.url + "/")
    log: list[Resolution] = []
    resolver = Resolver(page, smap, log, 4000)
    await (await resolver.one("billing.card")).fill("1")
    assert await (await resolver.one("billing.next_slot")).inner_text() == "Next slot: 09:30"
    await resolver.all("billing.visit")
    assert await resolver.probe("billing.gone") is None
    resolver.record("billing.visit.what", 0, 2, time.perf_counter())  # a row field, read
    await resolver.finish()                                            # as extraction does
    found = {r.name: (r.outcome, r.frame) for r in log}
    assert found["billing.card"] == ("primary", "billing.pay_frame")
    assert found["billing.pay_frame"] == ("primary", None)
    assert found["billing.next_slot"] == ("primary", "billing.inner")
    assert found["billing.inner"] == ("primary", "billing.outer")
    assert found["billing.visit"] == ("primary", "billing.visit#frame")
    assert found["billing.gone"] == ("absent", "billing.pay_frame")
    assert found["billing.visit.what"] == ("primary", "billing.visit#frame")


async def test_a_remembered_answer_is_not_trusted_once_the_frame_has_moved_on(
        page: Page, server: PagesServer, smap: ResolvedMap) -> None:
    """The session remembers which strategy found a name and, on the same document, acts
    through it alone; a frame loads a new document without the page doing so, so inside
    a frame the action keeps every strategy: the widget's new markup is still found."""
    await page.goto(server.url + "/")
    memory = ResolutionMemory(reuse_s=60)
    memory.watch(page)
    resolver = Resolver(page, smap, [], 4000, memory)
    await resolver.one_now("billing.card_input")     # learnt: found by '#card'
    await resolver.settle(succeeded=True)
    await page.locator("iframe#pay").evaluate("frame => { frame.src = '/pay-v2' }")
    await page.frame_locator("iframe#pay").locator("#card-v2").wait_for()
    target = await resolver.one("billing.card_input")
    await target.fill("4242", timeout=2000)          # through the fallback
    assert await page.frame_locator("iframe#pay").locator("#card-v2").input_value() == "4242"
    await resolver.finish()


async def test_selectors_check_counts_names_inside_frames(
        page: Page, server: PagesServer, smap: ResolvedMap) -> None:
    names = ["billing.pay_frame", "billing.card", "billing.next_slot", "billing.visit#frame",
             "billing.visit", "billing.visit.what", "billing.gone", "billing.heading_text"]
    results, problem = await check_page(page, smap, server.url, {"billing": names})
    assert problem is None
    assert {r.name: (r.verdict, r.count) for r in results} == {
        "billing.pay_frame": ("primary", 1),
        "billing.card": ("primary", 1),
        "billing.next_slot": ("primary", 1),
        "billing.visit#frame": ("primary", 1),
        "billing.visit": ("primary", 2),
        "billing.visit.what": ("primary", 1),
        "billing.gone": ("missing", 0),
        # its frame name finds the <h1>, which holds no document: missing, not a crash
        "billing.heading_text": ("missing", 0),
    }


async def test_selectors_check_finds_nothing_inside_a_frame_that_is_gone(
        page: Page, server: PagesServer, smap: ResolvedMap) -> None:
    moved = {**smap.pages}
    moved["billing"] = moved["billing"].model_copy(update={"path": "/bare"})
    bare = ResolvedMap(portal=smap.portal, version=smap.version, file=smap.file,
                       chain=smap.chain, detect=smap.detect, pages=moved,
                       entries=smap.entries, origin=smap.origin)
    results, _ = await check_page(page, bare, server.url,
                                  {"billing": ["billing.title", "billing.pay_frame",
                                               "billing.card"]})
    assert {r.name: r.verdict for r in results} == {
        "billing.title": "primary", "billing.pay_frame": "missing", "billing.card": "missing"}


# --- the loader refuses frames it cannot resolve, at the file:line of 'frame' ---------

MAP_HEAD = 'portal: toy\nversion: "1.0"\nselectors:\n  f: [{css: iframe}]\n'


def problems_of(tmp_path: Path, selectors: str) -> list[str]:
    folder = tmp_path / "selectors" / "toy"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "1.0.yaml").write_text(MAP_HEAD + selectors)
    with pytest.raises(SelectorMapProblems) as info:
        load_portal_maps(folder)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(("selectors", "expected"), [
    ("  a: {strategies: [{css: a}], frame: nope}\n",
     ["5:38: frame 'nope' is not a logical name of this map (field 'selectors.a.frame'); "
      "expected the logical name of the <iframe> element"]),
    ("  a: {strategies: [{css: a}], frame: b}\n  b: {strategies: [{css: b}], frame: a}\n",
     ["5:38: frame chain makes a cycle: a → b → a (field 'selectors.a.frame')",
      "6:38: frame chain makes a cycle: b → a → b (field 'selectors.b.frame')"]),
    ("  a: {strategies: [{css: a}], frame: b}\n  b: {strategies: [{css: b}], scope: a}\n",
     ["5:38: frame chain makes a cycle: a → b → a (field 'selectors.a.frame')",
      "6:38: frame chain makes a cycle: b → a → b (field 'selectors.b.scope')"]),
    ("  a: {strategies: [{css: a}], frame: f, scope: f}\n",
     ["5:38: 'frame' and 'scope' together: an element within a scope is in the scope's "
      "frame already (field 'selectors.a.frame'); expected either 'scope: f'"]),
    ("  rows: {strategies: [{css: iframe}], all: true}\n"
     "  a: {strategies: [{css: a}], frame: rows}\n",
     ["6:38: frame 'rows' names a list (all: true), not one <iframe>"]),
    ("  a: {strategies: [{css: a}], frame: 3}\n",
     ["5:38: 'frame' is int 3 (field 'selectors.a.frame'); expected the logical name of "
      "the <iframe> element"]),
    ("  a: {strategies: [{css: a}], frame: [{clik: iframe}]}\n",
     ["5:39: a strategy must name how to find the element (field 'selectors.a.frame[0]')"]),
], ids=["unknown", "cycle", "cycle-through-scope", "with-scope", "a-list", "not-a-name",
        "bad-inline-strategy"])
def test_the_loader_refuses_a_frame_it_cannot_resolve(
        tmp_path: Path, selectors: str, expected: list[str]) -> None:
    problems = problems_of(tmp_path, selectors)
    where = tmp_path / "selectors" / "toy" / "1.0.yaml"
    assert len(problems) == len(expected), problems
    for got, want in zip(problems, expected, strict=True):
        assert got.startswith(f"{where}:{want}"), got


def test_removing_a_frame_an_inherited_entry_still_uses_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "selectors" / "toy"
    folder.mkdir(parents=True)
    (folder / "1.0.yaml").write_text(MAP_HEAD + "  a: {strategies: [{css: a}], frame: f}\n")
    (folder / "2.0.yaml").write_text('portal: toy\nversion: "2.0"\nextends: "1.0"\n'
                                     "remove: [f]\n")
    with pytest.raises(SelectorMapProblems) as info:
        load_portal_maps(folder)
    assert ":4:10: cannot remove 'f': inherited 'a' (its frame) still uses it" in str(info.value)


def test_an_inline_frame_is_not_inherited_by_an_override_without_it(tmp_path: Path) -> None:
    folder = tmp_path / "selectors" / "toy"
    folder.mkdir(parents=True)
    (folder / "1.0.yaml").write_text(
        MAP_HEAD + "  a: {strategies: [{css: a}], frame: [{css: 'iframe#old'}]}\n")
    (folder / "2.0.yaml").write_text('portal: toy\nversion: "2.0"\nextends: "1.0"\n'
                                     "selectors:\n  a: [{css: a}]\n")
    maps = load_portal_maps(folder)
    assert list(maps["1.0"].entries) == ["f", "a#frame", "a"]
    assert maps["1.0"].entries["a"].frame_name("a") == "a#frame"
    assert list(maps["2.0"].entries) == ["f", "a"]


def test_a_proposal_reorders_an_inline_frame_found_by_its_fallback(tmp_path: Path) -> None:
    folder = tmp_path / "selectors" / "toy"
    folder.mkdir(parents=True)
    (folder / "1.0.yaml").write_text(MAP_HEAD + "  a: {strategies: [{css: a}], frame: "
                                     "[{css: 'iframe#old'}, {css: 'iframe#pay'}]}\n")
    smap = load_portal_maps(folder)["1.0"]
    checked = [NameCheck("a#frame", "fallback", "css=iframe#pay", 1, None, 1),
               NameCheck("a", "primary", "css=a", 1, None, 0)]
    proposal = propose_map_fix(smap, checked)
    assert proposal.text.splitlines()[-1] == \
        '  a: {strategies: [{css: "a"}], frame: [{css: "iframe#pay"}, {css: "iframe#old"}]}'
    assert proposal.changes == ["a#frame: css=iframe#pay (strategy 2, the one that found it) "
                                "moved first in the 'frame' of 'a'"]


def test_validate_reports_a_bad_frame_at_its_line(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "portwright.toml").write_text("")
    (tmp_path / "flows").mkdir()
    folder = tmp_path / "selectors" / "toy"
    folder.mkdir(parents=True)
    (folder / "1.0.yaml").write_text(MAP_HEAD + "  a: {strategies: [{css: a}], frame: nope}\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["validate"])
    assert result.exit_code == 1, result.output
    assert f"{folder / '1.0.yaml'}:5:38: frame 'nope' is not a logical name" in result.output

