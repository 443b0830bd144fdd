"""A session reuses which strategy found a name, for a while, without ever losing the
fallbacks: the behaviour behind ``resolution_reuse_s``.

The page ``/form`` is served by a function, so a test can change the markup under the
same path between two documents (a portal deploying a change that keeps the UI version).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page

from portwright.exceptions import SelectorNotFound
from portwright.selector_map.loader import ResolvedMap
from portwright.selector_map.memory import ResolutionMemory
from portwright.selector_map.resolver import Resolution, Resolver
from portwright.testing.pages_server import PageRequest, PagesServer, Reply

pytestmark = pytest.mark.browser

MAP = """portal: memo
version: "1.0"
selectors:
  search.box: [{label: "Patient search"}, {css: "#q"}]
"""

WITH_LABEL = '<label>Patient search <input id="q" value="labelled"></label>'
WITHOUT_LABEL = '<input id="q" value="unlabelled">'   # the primary (label) broke


class Markup:
    current = WITH_LABEL


@pytest.fixture(scope="module")
def smap(map_from_yaml: Callable[[str], ResolvedMap]) -> ResolvedMap:
    return map_from_yaml(MAP)


@pytest.fixture(scope="module")
def server() -> Iterator[PagesServer]:
    def form(_: PageRequest) -> Reply:
        return Reply(f"<html><body><form>{Markup.current}</form></body></html>")

    with PagesServer({"/form": form}) as pages:
        yield pages


@pytest_asyncio.fixture(loop_scope="session")
async def page(browser: Browser) -> AsyncIterator[Page]:
    Markup.current = WITH_LABEL
    context = await browser.new_context()
    yield await context.new_page()
    await context.close()


async def run(page: Page, smap: ResolvedMap, memory: ResolutionMemory,
              timeout_ms: float = 5000) -> tuple[str, list[Resolution]]:
    """One run's resolution of the name: the value it reads and its log."""
    log: list[Resolution] = []
    resolver = Resolver(page, smap, log, timeout_ms, memory=memory)
    value = await (await resolver.one("search.box")).input_value(timeout=timeout_ms)
    await resolver.finish()
    return value, log


async def test_a_later_run_reuses_the_answer_and_still_reads_the_element(
        page: Page, smap: ResolvedMap, server: PagesServer) -> None:
    memory = ResolutionMemory(reuse_s=60)
    memory.watch(page)
    await page.goto(server.url + "/form")
    value, first = await run(page, smap, memory)
    assert value == "labelled"
    assert (first[0].outcome, first[0].index, first[0].reused) == ("primary", 0, False)
    value, later = await run(page, smap, memory)
    assert value == "labelled"
    assert (later[0].outcome, later[0].index, later[0].reused) == ("primary", 0, True)


async def test_reuse_zero_classifies_every_resolution(
        page: Page, smap: ResolvedMap, server: PagesServer) -> None:
    memory = ResolutionMemory(reuse_s=0)
    await page.goto(server.url + "/form")
    await run(page, smap, memory)
    _, again = await run(page, smap, memory)
    assert again[0].reused is False and again[0].outcome == "primary"


async def test_on_a_new_document_the_fallback_still_works_when_the_primary_broke(
        page: Page, smap: ResolvedMap, server: PagesServer) -> None:
    """The remembered answer says "label"; the new document has no label. The action
    goes through every strategy on a new document, so the run still reads the field."""
    memory = ResolutionMemory(reuse_s=60)
    memory.watch(page)
    await page.goto(server.url + "/form")
    await run(page, smap, memory)
    Markup.current = WITHOUT_LABEL
    try:
        await page.goto(server.url + "/form")
        value, _ = await run(page, smap, memory, timeout_ms=3000)
        assert value == "unlabelled"
        # with reuse off, the same page reports the fallback, as a drift monitor needs
        _, fresh = await run(page, smap, ResolutionMemory(reuse_s=0))
        assert (fresh[0].outcome, fresh[0].index) == ("fallback", 1)
    finally:
        Markup.current = WITH_LABEL


async def test_a_failure_is_explained_from_a_fresh_look_and_the_answer_forgotten(
        page: Page, smap: ResolvedMap, server: PagesServer) -> None:
    memory = ResolutionMemory(reuse_s=60)
    memory.watch(page)
    await page.goto(server.url + "/form")
    await run(page, smap, memory)
    # the field disappears from the same document
    await page.evaluate("document.querySelector('form').innerHTML = ''")
    resolver = Resolver(page, smap, [], 300, memory=memory)
    loc = await resolver.one("search.box")
    with pytest.raises(Exception, match="Timeout"):
        await loc.input_value(timeout=300)
    error = await resolver.settle(succeeded=False)
    assert isinstance(error, SelectorNotFound)
    assert 'label="Patient search" → 0' in str(error) and "css=#q → 0" in str(error)
    key = memory.key("1.0", "search.box", page.url, None)
    assert memory.recall(key) is None


async def test_a_reused_answer_logs_the_page_without_its_query(
        page: Page, smap: ResolvedMap, server: PagesServer) -> None:
    """Resolutions travel into run results and drift reports; a portal's query string
    may name a patient (``?mrn=``), so no resolution may carry it, reused or not."""
    memory = ResolutionMemory(reuse_s=60)
    memory.watch(page)
    await page.goto(server.url + "/form?mrn=MRN-12345")
    _, first = await run(page, smap, memory)
    _, later = await run(page, smap, memory)
    assert later[0].reused is True
    urls = [r.url for r in (*first, *later)]
    assert len(urls) == 2 and all(u.startswith(server.url + "/form") for u in urls)
    assert not [u for u in urls if "mrn" in u or "12345" in u]
