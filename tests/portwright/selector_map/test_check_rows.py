"""``selectors check`` reaches detail pages through a list's rows: when the first record
lacks what a name shows (a patient without documents), later rows are tried, so
"missing" means the map is wrong, not that one record had nothing to show."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page

from portwright.selector_map.check import ROW_TRIES, check_page
from portwright.selector_map.loader import ResolvedMap
from portwright.testing.pages_server import PageRequest, PagesServer, Reply

pytestmark = pytest.mark.browser

MAP = """portal: rows
version: "1.0"
pages:
  item: {path: /items, setup: [items.row.link]}
selectors:
  items.row: {strategies: [{css: "tr.item"}], all: true}
  items.row.link: [{css: "a"}]
  item.title: [{css: "h1"}]
  item.attachment: [{css: "#attachment"}]
  item.missing_everywhere: [{css: "#renamed"}]
"""

#: items 1 and 2 have no attachment; item 3 has one
ATTACHED = {"3"}
ROWS = 4


@pytest.fixture(scope="module")
def smap(map_from_yaml: Callable[[str], ResolvedMap]) -> ResolvedMap:
    return map_from_yaml(MAP)


@pytest.fixture(scope="module")
def server() -> Iterator[PagesServer]:
    rows = "".join(f'<tr class="item"><td><a href="/item?id={i}">Item {i}</a></td></tr>'
                   for i in range(1, ROWS + 1))

    def item(request: PageRequest) -> Reply:
        number = request.query["id"]
        extra = '<a id="attachment" href="#">scan.pdf</a>' if number in ATTACHED else ""
        return Reply(f"<html><body><h1>Item {number}</h1>{extra}</body></html>")

    with PagesServer({"/items": f"<html><body><table>{rows}</table></body></html>",
                      "/item": item}) as pages:
        yield pages


@pytest_asyncio.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context()
    yield await context.new_page()
    await context.close()


async def test_a_later_row_shows_what_the_first_lacks(page: Page, smap: ResolvedMap,
                                                       server: PagesServer) -> None:
    results, problem = await check_page(page, smap, server.url,
                                        {"item": ["item.title", "item.attachment"]})
    assert problem is None
    assert {r.name: r.verdict for r in results} == {"item.title": "primary",
                                                    "item.attachment": "primary"}
    opened = [r.query["id"] for r in server.requests if r.path == "/item"]
    assert opened == ["1", "2", "3"]  # stopped at the first record that shows everything


async def test_a_name_no_row_shows_is_missing_after_the_tries(page: Page, smap: ResolvedMap,
                                                               server: PagesServer) -> None:
    before = len(server.requests)
    results, problem = await check_page(
        page, smap, server.url, {"item": ["item.title", "item.attachment",
                                          "item.missing_everywhere"]})
    verdicts = {r.name: r.verdict for r in results}
    # the best attempt (item 3) is kept: only the truly broken name is missing
    assert verdicts == {"item.title": "primary", "item.attachment": "primary",
                        "item.missing_everywhere": "missing"}
    assert problem is None
    opened = [r.query["id"] for r in server.requests[before:] if r.path == "/item"]
    assert opened == [str(i) for i in range(1, min(ROWS, ROW_TRIES) + 1)]
