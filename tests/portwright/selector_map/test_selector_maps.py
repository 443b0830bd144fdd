"""Selector maps: extends (inherit, override, remove), detection of the live UI version,
pinning, and resolution with fallbacks, scope and nth — against two toy UI versions."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page

from portwright.exceptions import SelectorAmbiguous, SelectorMapError, SelectorNotFound
from portwright.selector_map.detect import detect_version
from portwright.selector_map.loader import ResolvedMap, load_portal_maps, version_key
from portwright.selector_map.resolver import Resolution, Resolver
from portwright.testing.pages_server import PagesServer

BASE = """portal: shop
version: "1.0"
detect:
  - {meta: app-version, matches: "^1\\\\."}
selectors:
  cart.button: [{role: button, name: "Cart"}, {css: "#cart"}]
  search.box: [{label: "Search"}]
  results.list: [{css: "ul.results"}]
  results.item: {strategies: [{css: "li"}], scope: results.list, all: true}
  results.second: {strategies: [{css: "li"}], scope: results.list, nth: 1}
  legacy.banner: [{css: "#banner"}]
  any.item: [{css: "li"}]
  cart.or_banner: [{css: "#cart"}, {css: "#banner"}]
"""

V2 = """portal: shop
version: "2.0"
extends: "1.0"
detect:
  - {meta: app-version, matches: "^2\\\\."}
  - {js: "SHOP.ui", matches: "^modern$"}
selectors:
  cart.button: [{test_id: cart}, {role: button, name: "Basket"}]
remove: [legacy.banner]
"""

PAGE_V1 = """<html><head><meta name="app-version" content="1.9.0"></head><body>
<div id="banner">Sale</div><label>Search <input></label>
<button id="cart">Cart</button>
<ul class="results"><li>a</li><li>b</li><li>c</li></ul><ul class="other"><li>x</li></ul>
</body></html>"""

PAGE_V2 = """<html><head><meta name="app-version" content="2.1.4">
<script>window.SHOP = {ui: "modern"}</script></head><body>
<label>Search <input></label><button>Basket</button>
<ul class="results"><li>a</li><li>b</li></ul>
</body></html>"""


@pytest.fixture(scope="module")
def maps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ResolvedMap]:
    folder = tmp_path_factory.mktemp("sel") / "shop"
    folder.mkdir()
    (folder / "1.0.yaml").write_text(BASE)
    (folder / "2.0.yaml").write_text(V2)
    return load_portal_maps(folder)


def test_extends_inherits_overrides_and_removes(maps: dict[str, ResolvedMap]) -> None:
    v1, v2 = maps["1.0"], maps["2.0"]
    assert v2.chain == ("2.0", "1.0")
    assert v2.entries["search.box"] == v1.entries["search.box"]          # inherited
    assert v2.entries["cart.button"] != v1.entries["cart.button"]        # overridden
    assert "legacy.banner" in v1.entries and "legacy.banner" not in v2.entries  # removed
    assert v2.origin["search.box"].endswith("1.0.yaml")
    assert v2.origin["cart.button"].endswith("2.0.yaml")


def test_versions_sort_numerically() -> None:
    assert sorted(["2026.10", "2026.9", "2025.4"], key=version_key) == \
        ["2025.4", "2026.9", "2026.10"]


@pytest.fixture(scope="module")
def shop() -> Iterator[PagesServer]:
    with PagesServer({"/v1": PAGE_V1, "/v2": PAGE_V2, "/v3": PAGE_V2.replace("2.1.4", "3.0")}
                     ) as server:
        yield server


@pytest_asyncio.fixture(loop_scope="session")
async def page(browser: Browser) -> AsyncIterator[Page]:
    ctx = await browser.new_context()
    yield await ctx.new_page()
    await ctx.close()


pytestmark = pytest.mark.browser


async def test_detection_picks_the_map_of_each_ui_version(
        page: Page, shop: PagesServer, maps: dict[str, ResolvedMap]) -> None:
    await page.goto(shop.url + "/v1")
    assert (await detect_version(page, maps.values())).version == "1.0"
    await page.goto(shop.url + "/v2")
    found = await detect_version(page, maps.values())
    assert found.version == "2.0"
    assert found.observed["meta app-version"] == "2.1.4"
    assert found.observed["js SHOP.ui"] == "modern"


async def test_an_unknown_version_is_a_clear_error(
        page: Page, shop: PagesServer, maps: dict[str, ResolvedMap]) -> None:
    await page.goto(shop.url + "/v3")
    with pytest.raises(SelectorMapError, match="no selector map of 'shop' matches") as info:
        await detect_version(page, maps.values())
    assert "'3.0'" in str(info.value) and "--selectors-version" in str(info.value)


async def test_the_no_map_error_shows_the_page_without_its_query(
        page: Page, shop: PagesServer, maps: dict[str, ResolvedMap]) -> None:
    """The error reaches logs and drift reports; a query string may name a patient."""
    await page.goto(shop.url + "/v3?mrn=MRN-12345&name=Okafor")
    with pytest.raises(SelectorMapError, match="no selector map of 'shop' matches") as info:
        await detect_version(page, maps.values())
    assert f"{shop.url}/v3" in str(info.value)
    assert "MRN-12345" not in str(info.value) and "Okafor" not in str(info.value)


async def test_primary_and_fallback_resolution_is_logged(
        page: Page, shop: PagesServer, maps: dict[str, ResolvedMap]) -> None:
    log: list[Resolution] = []
    await page.goto(shop.url + "/v2")
    resolver = Resolver(page, maps["2.0"], log, 2000)
    assert await (await resolver.one("cart.button")).inner_text() == "Basket"
    await resolver.one("search.box")
    await resolver.finish()   # what the runner does when the run ends
    by_name = {r.name: r for r in log}
    entry = by_name["cart.button"]
    assert (entry.index, entry.outcome, entry.count) == (1, "fallback", 1)
    assert entry.strategy == 'role=button[name="Basket"]'
    assert entry.url.endswith("/v2")
    assert (by_name["search.box"].outcome, by_name["search.box"].index) == ("primary", 0)


async def test_scope_all_and_nth(page: Page, shop: PagesServer,
                                 maps: dict[str, ResolvedMap]) -> None:
    await page.goto(shop.url + "/v1")
    resolver = Resolver(page, maps["1.0"], [], 2000)
    items = await resolver.all("results.item")
    assert await items.all_inner_texts() == ["a", "b", "c"]      # not the other list
    assert await (await resolver.one("results.second")).inner_text() == "b"
    assert await resolver.settle(succeeded=True) is None


async def test_pinning_a_map_uses_it_even_when_the_page_differs(
        page: Page, shop: PagesServer, maps: dict[str, ResolvedMap]) -> None:
    await page.goto(shop.url + "/v1")
    resolver = Resolver(page, maps["2.0"], [], 300)   # pinned: no detection
    with pytest.raises(SelectorNotFound) as info:
        await resolver.one_now("cart.button")
    text = str(info.value)
    assert 'test_id="cart" → 0' in text and 'role=button[name="Basket"] → 0' in text
    assert "(map 2.0)" in text and shop.url + "/v1" in text


async def test_ambiguous_names_every_strategy(page: Page, shop: PagesServer,
                                              maps: dict[str, ResolvedMap]) -> None:
    await page.goto(shop.url + "/v1")
    log: list[Resolution] = []
    resolver = Resolver(page, maps["1.0"], log, 300)
    with pytest.raises(SelectorAmbiguous) as info:
        await resolver.one_now("any.item")  # 'li' without a scope: both lists' items
    assert "matched 4 elements" in str(info.value) and "css=li → 4" in str(info.value)
    assert log[-1].outcome == "ambiguous"


def test_map_folders_in_the_workspace_are_valid() -> None:
    root = Path(__file__).resolve().parents[3]
    maps = load_portal_maps(root / "selectors" / "valant")
    assert {"2025.4", "2026.1"} <= set(maps)
    assert maps["2026.1"].chain == ("2026.1", "2025.4")


async def test_strategies_finding_different_elements_are_ambiguous(
        page: Page, shop: PagesServer, maps: dict[str, ResolvedMap]) -> None:
    await page.goto(shop.url + "/v1")
    resolver = Resolver(page, maps["1.0"], [], 300)
    loc = await resolver.one("cart.or_banner")
    with pytest.raises(Exception, match="strict mode violation"):
        await loc.click(timeout=300)
    error = await resolver.settle(succeeded=False)   # what the runner raises instead
    assert isinstance(error, SelectorAmbiguous)
    assert "match different elements" in str(error)
    assert "css=#cart → 1" in str(error) and "css=#banner → 1" in str(error)


PARENT_WITH_USES = """portal: shop
version: "1.0"
pages:
  cart: {path: /cart, setup: [cart.open]}
selectors:
  cart.open: [{css: "#cart"}]
  results.list: [{css: "ul.results"}]
  results.item: {strategies: [{css: "li"}], scope: results.list, all: true}
"""


@pytest.mark.parametrize(("removed", "user"), [
    ("results.list", "inherited 'results.item' (its scope) still uses it"),
    ("cart.open", "inherited page 'cart' (its setup) still uses it"),
])
def test_removing_a_name_an_inherited_entry_still_uses_is_an_error(
        tmp_path: Path, removed: str, user: str) -> None:
    folder = tmp_path / "shop"
    folder.mkdir()
    (folder / "1.0.yaml").write_text(PARENT_WITH_USES)
    (folder / "2.0.yaml").write_text(
        f'portal: shop\nversion: "2.0"\nextends: "1.0"\nremove: [{removed}]\n')
    with pytest.raises(SelectorMapError) as info:
        load_portal_maps(folder)
    shown = str(info.value)
    assert f"2.0.yaml:4:10: cannot remove '{removed}': {user}" in shown
    # redefining the user in the child without the removed name is the way out
    fixed = {"results.list": 'selectors:\n  results.item: {strategies: [{css: "li"}], all: true}\n',
             "cart.open": "pages:\n  cart: {path: /cart}\n"}[removed]
    (folder / "2.0.yaml").write_text(
        f'portal: shop\nversion: "2.0"\nextends: "1.0"\nremove: [{removed}]\n{fixed}')
    assert removed not in load_portal_maps(folder)["2.0"].entries
