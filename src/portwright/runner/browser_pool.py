"""One browser per process: engines that are not handed a browser share one.

Launching Chromium costs about a second; a service that builds several engines (per
tenant, per request handler) must not pay it per engine, let alone per flow. The pool
keeps one browser per (event loop, headless, executable) with a reference count, and
closes it when the last engine using it closes.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from playwright.async_api import Browser, Playwright, async_playwright

from portwright.browser import launch

__all__ = ["acquire", "release"]


@dataclass
class _Shared:
    playwright: Playwright
    browser: Browser
    users: int = 0


_pool: dict[tuple[int, bool, str | None], _Shared] = {}
_lock: dict[int, asyncio.Lock] = {}


def _key(headless: bool, override: str | None) -> tuple[int, bool, str | None]:
    return (id(asyncio.get_running_loop()), headless, override)


async def acquire(headless: bool, override: str | None) -> Browser:
    """The process's browser for these options (launched on first use)."""
    key = _key(headless, override)
    lock = _lock.setdefault(key[0], asyncio.Lock())
    async with lock:
        shared = _pool.get(key)
        if shared is None or not shared.browser.is_connected():
            pw = await async_playwright().start()
            shared = _pool[key] = _Shared(pw, await launch(pw, headless=headless,
                                                           override=override))
        shared.users += 1
        return shared.browser


async def release(browser: Browser) -> None:
    """One engine is done with ``browser``; the last one closes it."""
    for key, shared in list(_pool.items()):
        if shared.browser is browser:
            shared.users -= 1
            if shared.users <= 0:
                del _pool[key]
                await shared.browser.close()
                await shared.playwright.stop()
            return
