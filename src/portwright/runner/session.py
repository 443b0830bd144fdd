"""A session: one browser context (and its page) per (portal, account), reused by runs.

Runs on the same session are serialized by its lock: they share one page, and a login
done by one run is what the next run relies on.

A long-lived engine runs hundreds of flows on one session. Chromium keeps every document
a page showed (and their JS) until a major GC that a page busy with back-to-back runs
seldom gets, so the page's renderer grows by megabytes per run while nothing of ours holds
on to them (a forced GC frees it all). So after ``page_recycle_runs`` runs the session
swaps its page for a new one in the same context (cookies, storage and so the login are
the context's and stay) between runs, and the old page's renderer memory goes with it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from playwright.async_api import Browser, BrowserContext, Page, Request

from portwright.auth.sessions.fingerprint import Fingerprint
from portwright.selector_map.detect import Detection
from portwright.selector_map.memory import ResolutionMemory
from portwright.templating import Redactor

__all__ = ["ContextFactory", "Session", "SessionKey"]


@dataclass(frozen=True)
class SessionKey:
    """Which session: the portal and the account (``default`` when not named)."""

    portal: str
    account: str = "default"


#: Builds the context of a new session (the auth layer restores saved storage state, the
#: recording layer adds HAR recording or replay routes). Default: ``browser.new_context()``.
ContextFactory = Callable[[Browser, SessionKey], Awaitable[BrowserContext]]


@dataclass
class Session:
    """A live browser context with its page and the lock serializing runs on it."""

    key: SessionKey
    context: BrowserContext
    page: Page
    tracing: bool = False
    chunk_active: bool = False
    #: HTTP method of the request that loaded the page's current document: a document
    #: produced by a POST carries that POST (form fields, secrets) into trace snapshots.
    document_method: str = "GET"
    #: the portal UI version last confirmed on this session's pages; a run starts with
    #: its map while detection confirms it concurrently (``runner.version_check``)
    detection: Detection | None = None
    #: which strategy found each name lately, so runs need not ask again
    memory: ResolutionMemory = field(default_factory=ResolutionMemory)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    #: every secret any run typed into this context (passwords, MFA codes...): the
    #: context's trace and network log can replay an earlier run's form posts, such as
    #: the login PortalAuth ran before the flow, so each run redacts all of them
    redactor: Redactor = field(default_factory=Redactor)
    #: the credentials the portal refused on this session (a keyed fingerprint, never
    #: the values): runs queued behind a refused sign-in, and later ones, must not each
    #: try them again, since portals lock an account after a few refusals in a row
    refused: Fingerprint | None = None
    #: runs begun on the current page (see :meth:`recycle_page_if_due`)
    page_runs: int = 0

    def watch_page(self) -> None:
        """Follow :attr:`page`: resolution memory counts its documents and, while the
        context is traced, its navigations tell :attr:`document_method`. Listeners go on
        the page itself, so they leave with it when the page is recycled."""
        self.memory.watch(self.page)
        if self.tracing:
            page = self.page

            def on_request(request: Request) -> None:
                if request.is_navigation_request() and request.frame == page.main_frame:
                    self.document_method = request.method

            page.on("request", on_request)

    async def recycle_page_if_due(self, every: int) -> bool:
        """Count a run on the page; before what would be the page's ``every + 1``-th run,
        open a new page in the same context and close the old one (``every`` 0: never).
        Call it holding :attr:`lock`, before the run touches the page: no run is on it.
        True when the page was swapped."""
        if every <= 0 or self.page_runs < every:
            self.page_runs += 1
            return False
        old, self.page = self.page, await self.context.new_page()
        self.document_method = "GET"   # about:blank, no form post in it
        self.page_runs = 1
        self.watch_page()
        with contextlib.suppress(Exception):   # a crashed page closes all the same
            await old.close()
        return True

    async def close(self) -> None:
        if self.tracing:
            with contextlib.suppress(Exception):  # closing must not fail on a dead context
                await self.context.tracing.stop()
        await self.context.close()
