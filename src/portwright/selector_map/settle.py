"""Waiting until a page has finished loading what it shows, before names are counted.

``selectors check`` counts every strategy of every name on a page without waiting (a
missing name must be reported, not waited for), so the page has to be complete first:
lists that render from the portal's JSON show their rows only after those responses.
Playwright's ``networkidle`` answers that, but only after 500 ms without any request,
paid on every page and every setup click: most of a check's time on a fast portal.

``NetworkQuiet`` watches the requests an action starts instead. The page is settled when
its load event has fired, none of its requests is still in flight, no new one has started
for a short quiet spell (long enough for a script to start the request that follows a
response), and nothing on it is marked ``aria-busy="true"`` (the standard signal of a
region still rendering, such as skeleton rows shown while a delayed render runs). A
request that never ends (long polling) is given up on after ``timeout_ms``, as
``networkidle`` would be.
"""

from __future__ import annotations

import asyncio
import contextlib
from types import TracebackType

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, Request

__all__ = ["QUIET_MS", "SETTLE_MS", "NetworkQuiet"]

#: how long a page may keep loading (its JSON) before its names are counted anyway
SETTLE_MS = 5_000
#: how long no request may start, after the last one ended, for the network to be quiet
QUIET_MS = 200

_BUSY = "() => document.querySelector('[aria-busy=\"true\"]') !== null"
_NOT_BUSY = "() => document.querySelector('[aria-busy=\"true\"]') === null"


class NetworkQuiet:
    """Track the requests of ``page`` while an action runs; ``settled()`` waits for quiet.

        async with NetworkQuiet(page) as quiet:
            await page.goto(url)
            await quiet.settled()
    """

    def __init__(self, page: Page) -> None:
        self.page = page
        self._in_flight: set[Request] = set()
        self._changed = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        self._last_activity = self._loop.time()

    def _started(self, request: Request) -> None:
        self._in_flight.add(request)
        self._touch()

    def _ended(self, request: Request) -> None:
        self._in_flight.discard(request)
        self._touch()

    def _touch(self) -> None:
        self._last_activity = self._loop.time()
        self._changed.set()

    async def __aenter__(self) -> NetworkQuiet:
        self.page.on("request", self._started)
        self.page.on("requestfinished", self._ended)
        self.page.on("requestfailed", self._ended)
        return self

    async def __aexit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        self.page.remove_listener("request", self._started)
        self.page.remove_listener("requestfinished", self._ended)
        self.page.remove_listener("requestfailed", self._ended)

    async def _next_change(self, until: float) -> None:
        """Return at the next request event, or at ``until`` (loop time)."""
        self._changed.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), max(0.0, until - self._loop.time()))

    async def settled(self, timeout_ms: float = SETTLE_MS, quiet_ms: float = QUIET_MS) -> bool:
        """Wait until the page is loaded, quiet and not busy; False when ``timeout_ms``
        ran out first (the caller goes on with the page as it is)."""
        loop = self._loop
        deadline = loop.time() + timeout_ms / 1000
        while (left := deadline - loop.time()) > 0 and not self.page.is_closed():
            with contextlib.suppress(PlaywrightError):
                await self.page.wait_for_load_state("load", timeout=left * 1000)
            if self._in_flight:
                await self._next_change(deadline)
                continue
            quiet_until = self._last_activity + quiet_ms / 1000
            if loop.time() < quiet_until:
                await self._next_change(min(deadline, quiet_until))
                continue
            if await self._wait_until_not_busy(deadline):
                continue  # rendering may have started requests: look again
            return True
        return False

    async def _wait_until_not_busy(self, deadline: float) -> bool:
        """True when something was busy (and has been waited for, up to ``deadline``)."""
        try:
            if not await self.page.evaluate(_BUSY):
                return False
        except PlaywrightError:
            return True  # the document changed under the evaluation: look again
        with contextlib.suppress(PlaywrightError):
            await self.page.wait_for_function(
                _NOT_BUSY, timeout=max(1.0, (deadline - self._loop.time()) * 1000))
        return True
