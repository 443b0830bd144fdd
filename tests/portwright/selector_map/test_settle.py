"""``selectors check`` counts names without waiting, so each page must first finish what
it loads: rows that arrive by a slow JSON response, by a request chained on another
response, or by a render the page marks ``aria-busy``. A request that never ends must not
hang the check."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page

from portwright.selector_map.check import check_page
from portwright.selector_map.loader import ResolvedMap
from portwright.selector_map.settle import QUIET_MS, NetworkQuiet
from portwright.testing.pages_server import PageRequest, PagesServer, Reply

pytestmark = pytest.mark.browser

MAP = """portal: settling
version: "1.0"
pages:
  slow: {path: /slow}
  chained: {path: /chained}
  busy: {path: /busy}
  detail: {path: /links, setup: [links.slow]}
selectors:
  slow.row: {strategies: [{css: "tr.row"}], all: true}
  chained.row: {strategies: [{css: "tr.row"}], all: true}
  busy.row: {strategies: [{css: "tr.row"}], all: true}
  links.slow: [{css: "a#slow"}]
  detail.row: {strategies: [{css: "tr.row"}], all: true}
"""

#: a portal's JSON taking far longer than the quiet spell (simulated server latency)
SLOW_S = 4 * QUIET_MS / 1000
ROWS = ["a", "b", "c"]
#: a script's pause between reading one response and starting the next request
GAP_MS = 80

RENDER = """
function render(items) {
  const body = document.querySelector("tbody");
  for (const item of items) {
    const tr = document.createElement("tr"); tr.className = "row"; tr.textContent = item;
    body.appendChild(tr);
  }
}
"""


def page_with(script: str) -> str:
    return (f'<html><body><table aria-busy="false"><tbody></tbody></table>'
            f"<script>{RENDER}{script}</script></body></html>")


@pytest.fixture(scope="module")
def smap(map_from_yaml: Callable[[str], ResolvedMap]) -> ResolvedMap:
    return map_from_yaml(MAP)


@pytest.fixture(scope="module")
def server() -> Iterator[PagesServer]:
    release = threading.Event()

    def slow_rows(request: PageRequest) -> Reply:
        time.sleep(SLOW_S)  # the portal's latency is the scenario under test
        return Reply.json({"items": ROWS})

    def first(request: PageRequest) -> Reply:
        return Reply.json({"next": "/api/slow-rows"})

    def endless(request: PageRequest) -> Reply:
        release.wait(60)  # a long poll: answered only when the module's tests are over
        return Reply.json({})

    routes = {
        "/api/slow-rows": slow_rows,
        "/api/first": first,
        "/api/rows": Reply.json({"items": ROWS}),
        "/api/poll": endless,
        "/slow": page_with("fetch('/api/slow-rows').then(r => r.json())"
                           ".then(d => render(d.items));"),
        # the second request starts a moment after the first response has been read
        "/chained": page_with(
            "fetch('/api/first').then(r => r.json())"
            f".then(d => new Promise(ok => setTimeout(() => ok(d), {GAP_MS})))"
            ".then(d => fetch(d.next)).then(r => r.json()).then(d => render(d.items));"),
        # the response is quick; the rows are rendered later, the table marked busy
        "/busy": page_with(
            "const t = document.querySelector('table'); t.setAttribute('aria-busy', 'true');"
            "fetch('/api/rows').then(r => r.json()).then(d => setTimeout(() => {"
            f" render(d.items); t.setAttribute('aria-busy', 'false'); }}, {int(SLOW_S * 1000)}));"),
        "/links": '<html><body><a id="slow" href="/slow">slow list</a></body></html>',
        "/polling": page_with("render(['a', 'b', 'c']); fetch('/api/poll');"),
    }
    with PagesServer(routes) as pages:
        yield pages
        release.set()


@pytest_asyncio.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context()
    yield await context.new_page()
    await context.close()


@pytest.mark.parametrize("key", ["slow", "chained", "busy"])
async def test_rows_the_page_loads_after_its_load_event_are_counted(
        page: Page, smap: ResolvedMap, server: PagesServer, key: str) -> None:
    results, problem = await check_page(page, smap, server.url, {key: [f"{key}.row"]})
    assert problem is None
    assert [(r.verdict, r.count) for r in results] == [("primary", len(ROWS))]


async def test_a_setup_click_is_followed_by_the_next_page_settling(
        page: Page, smap: ResolvedMap, server: PagesServer) -> None:
    results, problem = await check_page(page, smap, server.url, {"detail": ["detail.row"]})
    assert problem is None
    assert page.url == server.url + "/slow"
    assert [(r.verdict, r.count) for r in results] == [("primary", len(ROWS))]


async def test_a_request_that_never_ends_is_given_up_on(page: Page,
                                                       server: PagesServer) -> None:
    async with NetworkQuiet(page) as quiet:
        await page.goto(server.url + "/polling")
        settled = await asyncio.wait_for(quiet.settled(timeout_ms=1_000), timeout=30)
    assert settled is False  # still polling: the caller counts the page as it is
    assert await page.locator("tr.row").count() == len(ROWS)


async def test_a_quiet_page_is_settled(page: Page, server: PagesServer) -> None:
    async with NetworkQuiet(page) as quiet:
        await page.goto(server.url + "/links")
        assert await quiet.settled(timeout_ms=10_000) is True
