"""The portal's UI version, read from a public page before a recording run starts.

A recording is filed under the UI version its run detects; so, naively, whether ``once``
keeps an existing recording is known only after the flow has run live. For a flow that
writes (book an appointment, upload a claim) that run is not free: the portal would get
a real write that no recording keeps. So the recorder first loads the pages the portal's
selector maps mark ``public`` (the login page), in a throwaway context with no session,
and matches them against the maps' ``detect`` rules. Only when that decides nothing (no
public page, or none that identifies a version) does the recorder fall back to deciding
after the run.
"""

from __future__ import annotations

from playwright.async_api import Browser
from playwright.async_api import Error as PlaywrightError

from portwright.exceptions import SelectorMapError
from portwright.selector_map.detect import detect_version
from portwright.selector_map.loader import load_portal_maps
from portwright.settings import Settings

__all__ = ["version_before_run"]

_TIMEOUT_MS = 15_000


async def version_before_run(browser: Browser, settings: Settings, portal: str,
                             portal_url: str) -> str | None:
    """The UI version a public page of the portal announces, or None if none tells."""
    maps = load_portal_maps(settings.path("selectors") / portal)
    public = sorted({spec.path for m in maps.values() for spec in m.pages.values()
                     if spec.public and not spec.setup})
    if not public:
        return None
    context = await browser.new_context(service_workers="block")
    try:
        page = await context.new_page()
        for path in public:
            try:
                await page.goto(portal_url.rstrip("/") + path, timeout=_TIMEOUT_MS)
                return (await detect_version(page, maps.values())).version
            except (PlaywrightError, SelectorMapError):
                continue  # not reachable, or it does not say: try the next one
        return None
    finally:
        await context.close()
