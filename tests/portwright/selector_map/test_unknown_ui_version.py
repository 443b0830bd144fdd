"""A page no selector-map version matches raises ``UnknownUIVersion``: still the
``SelectorMapError`` it always was, now carrying what the page showed and every detect
rule of every version with its verdict, so a program (the canary) need not parse text."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page

from portwright.exceptions import DetectRuleVerdict, SelectorMapError, UnknownUIVersion
from portwright.selector_map.detect import detect_version
from portwright.selector_map.loader import ResolvedMap, load_portal_maps
from portwright.testing.pages_server import PagesServer

pytestmark = pytest.mark.browser

#: 1.0 fails on its first rule and on its last; 2.0 fails on its first rule only, and
#: every rule after it matches: each must still be judged and reported
MAPS = {
    "1.0": """portal: shop
version: "1.0"
detect:
  - {meta: app-version, matches: "^1\\\\."}
  - {element: "#legacy-nav"}
""",
    "2.0": """portal: shop
version: "2.0"
extends: "1.0"
detect:
  - {meta: app-version, matches: "^2\\\\."}
  - {js: "SHOP.ui", matches: "^modern$"}
  - {url: "[?&]mrn="}
  - {element: "main.modern"}
""",
}

#: a 3.0 release: modern UI, marker no map knows, a patient's MRN in the address
PAGE = """<html><head><meta name="app-version" content="3.0">
<script>window.SHOP = {ui: "modern"}</script></head>
<body><main class="modern"><h1>Chart of Ann Smith</h1></main></body></html>"""


@pytest.fixture(scope="module")
def maps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ResolvedMap]:
    folder: Path = tmp_path_factory.mktemp("sel") / "shop"
    folder.mkdir()
    for version, text in MAPS.items():
        (folder / f"{version}.yaml").write_text(text)
    return load_portal_maps(folder)


@pytest.fixture(scope="module")
def shop() -> Iterator[PagesServer]:
    with PagesServer({"/chart": PAGE}) as server:
        yield server


@pytest_asyncio.fixture(loop_scope="session")
async def page(browser: Browser) -> AsyncIterator[Page]:
    ctx = await browser.new_context()
    yield await ctx.new_page()
    await ctx.close()


async def test_the_error_carries_every_rule_of_every_version_with_its_verdict(
        page: Page, shop: PagesServer, maps: dict[str, ResolvedMap]) -> None:
    await page.goto(shop.url + "/chart?mrn=MRN-55021")
    with pytest.raises(UnknownUIVersion) as info:
        await detect_version(page, maps.values())
    error = info.value
    assert isinstance(error, SelectorMapError)   # what callers catch today still catches it
    assert error.portal == "shop"
    chart = shop.url + "/chart?…"   # the address as shown: its query may name a patient
    assert error.observed == {"url": chart, "meta app-version": "3.0", "js SHOP.ui": "modern"}
    assert sorted(error.tried, key=lambda v: v.version) == [
        DetectRuleVerdict("1.0", "meta app-version ~ ^1\\.", "3.0", False),
        DetectRuleVerdict("1.0", "element #legacy-nav", None, False),
        DetectRuleVerdict("2.0", "meta app-version ~ ^2\\.", "3.0", False),
        DetectRuleVerdict("2.0", "js SHOP.ui ~ ^modern$", "modern", True),
        # judged on the whole address (the query matched), shown without the query
        DetectRuleVerdict("2.0", "url ~ [?&]mrn=", chart, True),
        DetectRuleVerdict("2.0", "element main.modern", None, True),
    ]
    # the text people read is as it was
    assert "no selector map of 'shop' matches the page" in str(error)
    assert "--selectors-version" in str(error)
    for text in (str(error), repr(error.observed), repr(error.tried)):
        assert "MRN-55021" not in text and "Ann Smith" not in text
