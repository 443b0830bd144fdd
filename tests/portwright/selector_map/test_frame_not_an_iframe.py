"""A frame name that finds something other than an <iframe> (a map author pointed it at
the <div> around the widget) fails the step with a selector error on that frame name:
the map version and file, the page, the tag found instead and what was expected, never
the element's text (a portal's markup holds PHI). Real Chromium, pages over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser
from playwright.async_api import Error as PlaywrightError

from portwright.engine import Engine, RunResult
from portwright.exceptions import SelectorNotFound
from portwright.flow.loader import load_flow_text
from portwright.selector_map.loader import load_portal_maps
from portwright.selector_map.resolver import Resolver
from portwright.settings import load_settings
from portwright.testing.pages_server import PagesServer

#: what the wrongly named elements hold: must never reach an error message
PHI = "Jane Roe DOB 1961-02-03"

HOME = f"""<html><head><meta name="app-version" content="1.0.3"></head><body>
<h1>Billing</h1>
<div id="pay-widget" class="widget"><p>Paying for {PHI}</p>
  <iframe id="pay" src="/pay"></iframe></div>
<iframe id="outer" src="/outer"></iframe>
</body></html>"""

PAY = '<html><body><label>Card number <input id="card"></label></body></html>'
OUTER = (f'<html><body><section id="inner-box">Seen by {PHI}'
         '<iframe id="inner" src="/inner"></iframe></section></body></html>')
INNER = '<html><body><b id="deep">Next slot: 09:30</b></body></html>'

MAP = """portal: toy
version: "1.0"
detect:
  - {meta: app-version, matches: "^1\\\\."}
pages:
  billing: {path: /}
selectors:
  billing.widget: [{css: "#pay-widget"}]
  billing.card: {strategies: [{label: "Card number"}], frame: billing.widget}
  billing.card_checked: {strategies: [{css: "#card"}, {label: "Card number"}],
                         frame: billing.widget}
  billing.rows: {strategies: [{css: "tr"}], all: true, frame: billing.widget}
  billing.outer: [{css: "iframe#outer"}]
  billing.inner_box: {strategies: [{css: "#inner-box"}], frame: billing.outer}
  billing.next_slot: {strategies: [{css: "#deep"}], frame: billing.inner_box}
  billing.pay: [{css: "iframe#pay"}]
  billing.card_ok: {strategies: [{label: "Card number"}], frame: billing.pay}
"""

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server() -> Iterator[PagesServer]:
    with PagesServer({"/": HOME, "/pay": PAY, "/outer": OUTER, "/inner": INNER}) as pages:
        yield pages


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("not_a_frame")
    (root / "portwright.toml").write_text('flows = "flows"\n')
    (root / "selectors" / "toy").mkdir(parents=True)
    (root / "selectors" / "toy" / "1.0.yaml").write_text(MAP)
    (root / "flows" / "toy").mkdir(parents=True)
    return root


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def engine(browser: Browser, workspace: Path, server: PagesServer
                 ) -> AsyncIterator[Engine]:
    settings = load_settings(workspace, step_timeout_ms=4000, artifact_privacy="full")
    engine = Engine(settings, browser=browser, portal_urls={"toy": server.url})
    yield engine
    await engine.close()


async def run(engine: Engine, steps: str) -> RunResult:
    text = ('flow: toy.case\noutputs:\n  got: {value: got}\nsteps:\n'
            '  - {action: goto, url: "{{ portal.base_url }}/"}\n' + steps)
    return await engine.run(load_flow_text(text, "case.yaml"), {})


def assert_says_the_frame_is_no_iframe(error: SelectorNotFound, *, frame: str, held: str,
                                       tag: str, strategy: str, workspace: Path,
                                       server: PagesServer) -> None:
    text = str(error)
    assert error.name == frame
    assert error.map_version == "1.0"
    assert error.url == server.url + "/"
    assert f"the frame name of '{held}' found <{tag}>" in text
    assert "an <iframe> or <frame> element was expected" in text
    assert error.strategies == [f"{strategy} → 1 (<{tag}>)"]
    assert str(workspace / "selectors" / "toy" / "1.0.yaml") in (error.hint or "")
    assert PHI not in text  # the tag name only, never what the element says


@pytest.mark.parametrize(("step", "held"), [
    ("  - {action: fill, target: billing.card, value: '4242'}\n", "billing.card"),
    ("  - {action: fill, target: billing.card_checked, value: '4242'}\n",
     "billing.card_checked"),
    ("  - {action: extract, into: got, fields: {card: {target: billing.card, attr: id}}}\n",
     "billing.card"),
    ("  - {action: if, visible: billing.card, then: [{action: click, target: billing.card}]}\n",
     "billing.card"),
    ("  - {action: extract, into: got, rows: billing.rows, fields: {a: {attr: id}}}\n",
     "billing.rows"),
    ("  - {action: assert, check: visible, target: billing.card, timeout_ms: 500}\n",
     "billing.card"),
], ids=["fill", "fill-with-fallback", "extract", "if-visible", "rows", "assert-visible"])
async def test_a_frame_name_that_finds_a_div_fails_with_the_frame_and_the_tag(
        engine: Engine, workspace: Path, server: PagesServer, step: str, held: str) -> None:
    with pytest.raises(SelectorNotFound) as info:
        await run(engine, step)
    assert_says_the_frame_is_no_iframe(
        info.value, frame="billing.widget", held=held, tag="div",
        strategy="css=#pay-widget", workspace=workspace, server=server)


async def test_a_nested_frame_name_that_finds_a_section_is_the_one_named(
        engine: Engine, workspace: Path, server: PagesServer) -> None:
    """The outer frame is a real <iframe>; the inner frame name, looked up inside it,
    finds a <section>: that inner name is at fault, not the outer one."""
    with pytest.raises(SelectorNotFound) as info:
        await run(engine, "  - {action: extract, into: got, fields: {slot: billing.next_slot}}\n")
    assert_says_the_frame_is_no_iframe(
        info.value, frame="billing.inner_box", held="billing.next_slot", tag="section",
        strategy="css=#inner-box", workspace=workspace, server=server)


async def test_the_resolver_explains_the_browsers_refusal(
        browser: Browser, workspace: Path, server: PagesServer) -> None:
    """Used directly (as the runner does after a failed step), the resolver turns the
    browser's refusal into the frame's error."""
    smap = load_portal_maps(workspace / "selectors" / "toy")["1.0"]
    context = await browser.new_context()
    try:
        page = await context.new_page()
        await page.goto(server.url + "/")
        resolver = Resolver(page, smap, [], 1000)
        with pytest.raises(PlaywrightError) as refused:
            await (await resolver.one("billing.card")).fill("4242", timeout=1000)
        error = await resolver.settle(succeeded=False, cause=refused.value)
        assert isinstance(error, SelectorNotFound)
        assert_says_the_frame_is_no_iframe(
            error, frame="billing.widget", held="billing.card", tag="div",
            strategy="css=#pay-widget", workspace=workspace, server=server)
    finally:
        await context.close()
