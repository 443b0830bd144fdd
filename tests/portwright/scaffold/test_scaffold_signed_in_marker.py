"""The scaffold's signed-in marker (``nav.signed_in``) is found by its first strategy on
the shapes portals give their sign-out control: a link or a button, "Sign out" or "Log
out", in any case, with an icon, or only an ``aria-label``.

A name found by a fallback is reported by the canary monitor as drift: with the old
default (a *button* named "Sign out"), a portal whose control is a link, as most are,
drifted from the first day. Here the map is the one ``scaffold_adapter`` writes, loaded
as the engine loads a portal's maps, and resolved in real Chromium by the engine's
resolver, which records the strategy that matched.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page

from portwright.scaffold import adapter_names, scaffold_adapter
from portwright.selector_map.loader import ResolvedMap, load_portal_maps
from portwright.selector_map.resolver import Resolution, Resolver
from portwright.testing.pages_server import PagesServer

pytestmark = pytest.mark.browser

#: a page of a signed-in portal, around its sign-out control
SHELL = ("<!doctype html><html><head><title>Home</title></head><body><header>"
         "<a href='/'>Home</a><a href='/providers'>Providers</a>{control}</header>"
         "<main><h1>Welcome back</h1><p>You have 3 messages.</p></main></body></html>")

CONTROLS = {
    "link": "<a href='/logout'>Sign out</a>",
    "button": "<form method='post' action='/logout'><button>Sign out</button></form>",
    "log-out-button": "<button type='button' onclick='logout()'>Log out</button>",
    "link-with-icon": "<a href='/session/end'><i class='icon-exit'></i> <span>Sign Out</span></a>",
    "icon-button": "<button aria-label='Log out'><svg width='12' height='12'></svg></button>",
    # "Sign out" is the whole text: a longer one is another control
    "link-beside-a-longer-one": "<a href='/security'>Sign out of all devices</a>"
                                "<a href='/logout'>sign out</a>",
    # the same link in a mobile menu that is closed: one control on the page, not two
    "link-and-hidden-copy": "<a href='/logout'>Log Out</a>"
                            "<div class='mobile-menu' style='display:none'>"
                            "<a href='/logout'>Log Out</a></div>",
}


@pytest.fixture(scope="module")
def scaffolded_map(tmp_path_factory: pytest.TempPathFactory) -> ResolvedMap:
    """The first selector map of a freshly scaffolded adapter, as the engine loads it."""
    root: Path = tmp_path_factory.mktemp("workspace")
    names = adapter_names("northwind_ehr", ui_version="2026.1")
    scaffold_adapter(names, root)
    return load_portal_maps(root / "selectors" / "northwind_ehr")["2026.1"]


@pytest.fixture(scope="module")
def portal() -> Iterator[PagesServer]:
    with PagesServer({f"/{shape}": SHELL.format(control=control)
                      for shape, control in CONTROLS.items()}) as server:
        yield server


@pytest_asyncio.fixture(loop_scope="session")
async def page(browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context()
    yield await context.new_page()
    await context.close()


@pytest.mark.parametrize("shape", CONTROLS)
async def test_the_signed_in_marker_is_found_by_its_first_strategy(
        page: Page, portal: PagesServer, scaffolded_map: ResolvedMap, shape: str) -> None:
    await page.goto(f"{portal.url}/{shape}")
    log: list[Resolution] = []
    resolver = Resolver(page, scaffolded_map, log, 3000)
    marker = await resolver.one("nav.signed_in", navigates=False)
    # what the scaffolded login flow does with it: wait until it shows
    await marker.wait_for(state="visible", timeout=3000)
    assert await marker.evaluate("e => e.tagName") in ("A", "BUTTON")
    await resolver.finish()
    found = [r for r in log if r.name == "nav.signed_in"]
    assert [(r.outcome, r.index, r.count) for r in found] == [("primary", 0, 1)], found


async def test_a_page_without_the_control_does_not_match(
        page: Page, portal: PagesServer, scaffolded_map: ResolvedMap) -> None:
    """Signed out (the sign-in page): ``if visible: nav.signed_in`` must be false, also
    where the page mentions signing out in its text."""
    await page.set_content("<html><body><h1>Sign in</h1><p>You signed out. Log out of "
                           "other devices too?</p><button>Sign in</button></body></html>")
    resolver = Resolver(page, scaffolded_map, [], 3000)
    assert await resolver.probe("nav.signed_in") is None
