"""Logical name → Playwright locator, with a log of how each name was found.

Cost model: an action never waits for resolution. ``one`` hands back the ``or`` of the
name's strategies at once (Playwright's strict mode guarantees it acts on exactly one
element, auto-waiting for it to appear), and classifies in parallel: one ``count()`` of the
primary strategy (fallbacks only when it finds nothing; when nothing matches yet, it waits
for the first to appear and counts again). The step collects the classification when it
ends (``settle``), so the resolution log is complete and a failure is reported as
``SelectorNotFound``/``SelectorAmbiguous`` listing every strategy and the page URL. What
a count means, and the log entry it becomes, is ``counting``'s part.

A classification the session already made recently (same map version, name, page path
and scope) is logged again as ``reused`` instead of counted again: see ``memory``.

A strategy the browser cannot parse (CSS or XPath syntax) fails every action on its name,
whatever the page shows. It is logged ``invalid`` and raised as ``SelectorInvalid``
(name, strategy, map file and version, the browser's reason), never taken for a missing
element: when a count meets it, or when a step fails with the browser's syntax error and
one of the names the step used turns out to hold it (a fallback behind a primary that
matched, a field read in the page's own script).

A name with ``frame`` is searched in the document of an <iframe>: the frame's own name is
resolved first (like a scope, and logged as itself), then every strategy runs inside
that frame. Frames nest by chaining (see ``holders``). When the frame is missing, the
error names the frame (and the element it holds), not the element's own strategies; when
the frame name finds an element that is no <iframe> or <frame>, the error names the frame
and the tag it found (see ``frame_element``); every resolution names the frame it was
found in (``frame``), so a drift report can say an element moved into one.

Before counting anything, each name looked up is shown to the running step's guard (see
``lookup_guard``), which stops a step whose page the portal replaced by its sign-in page.

The log entry (``Resolution``, ``Outcome``) and the guard live in modules of their own and
are importable from here as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import replace

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import FrameLocator, Locator, Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from portwright.exceptions import (
    SelectorError,
    SelectorInvalid,
    SelectorNotFound,
    SessionExpired,
)
from portwright.selector_map.counting import StrategyCounter
from portwright.selector_map.frame_element import frame_refused, not_a_frame
from portwright.selector_map.holders import holders_first
from portwright.selector_map.loader import ResolvedMap
from portwright.selector_map.lookup_guard import LookupGuard, lookup_guard
from portwright.selector_map.memory import MemoryKey, ResolutionMemory
from portwright.selector_map.model import SelectorEntry
from portwright.selector_map.resolution import Outcome, Resolution
from portwright.selector_map.strategies import describe, invalid_reason, locator_for
from portwright.shown_url import shown_url

__all__ = ["LookupGuard", "Outcome", "Resolution", "Resolver", "lookup_guard"]


class Resolver(StrategyCounter):
    """Resolves names of one map on one page; appends to a shared resolution log."""

    def __init__(self, page: Page, smap: ResolvedMap, log: list[Resolution],
                 timeout_ms: float, memory: ResolutionMemory | None = None) -> None:
        super().__init__(page, smap, log, memory)
        self.timeout_ms = timeout_ms
        self._pending: list[asyncio.Future[None]] = []
        self._deferred: list[asyncio.Future[None]] = []
        self._assumed: list[tuple[str, SelectorEntry, list[Locator], Locator, float]] = []
        self._combined: list[tuple[str, SelectorEntry, list[Locator], Locator]] = []
        self._errors: list[SelectorError] = []
        self._reused: list[tuple[str, SelectorEntry, list[Locator], Locator, float,
                                 MemoryKey]] = []
        #: names looked up since the last ``settle`` (in order): what a step used
        self._touched: dict[str, None] = {}

    def entry(self, name: str) -> SelectorEntry:
        entry = self.map.entries.get(name)
        if entry is None:
            raise SelectorNotFound(
                "logical name is not in the selector map", name=name, url=self.page.url,
                map_version=self.map.version,
                hint=f"add '{name}' to {self.map.file} (or the map it extends)",
            )
        guard = lookup_guard.get()
        if guard is not None:
            guard.looked_up(self, name)
        self._touched[name] = None
        return entry

    async def _base(self, name: str, entry: SelectorEntry, within: Locator | None,
                    timeout_ms: float | None = None) -> Page | Locator | FrameLocator:
        if within is not None:
            return within
        if entry.scope is not None:
            # the scope is waited for within the same step, so under the same timeout
            return await self.one(entry.scope, timeout_ms=timeout_ms)
        frame = entry.frame_name(name)
        if frame is not None:
            # the <iframe> too: resolved like a scope, its document searched
            self._frame_of_name[frame] = name
            return (await self.one(frame, timeout_ms=timeout_ms)).content_frame
        return self.page

    async def one(self, name: str, *, within: Locator | None = None,
                  timeout_ms: float | None = None, navigates: bool = True) -> Locator:
        """The element of ``name`` (or its ``nth``), as a locator to act on right away.

        No round trip is spent before the action: the returned locator is the ``or`` of
        all strategies, so Playwright's auto-waiting and strict mode apply to it, while a
        classification (which strategy matched, how many, ambiguity) runs concurrently
        and is collected by :meth:`settle` when the step ends. Strategies of one name must
        therefore denote the same element; two different matches are ambiguous.

        ``navigates``: the action may take the page away (a click), so the count is sent
        first and counts the page the action starts on. Typing, reading or asserting
        cannot, so the action goes first and its round trip does not queue behind the
        count.
        """
        entry = self.entry(name)
        started = time.perf_counter()
        base = await self._base(name, entry, within, timeout_ms)
        locators = [locator_for(base, s) for s in entry.strategies]
        combined = locators[0]
        for extra in locators[1:]:
            combined = combined.or_(extra)
        timeout = timeout_ms if timeout_ms is not None else self.timeout_ms
        key = self.memory.key(self.map.version, name, self.page.url,
                              None if within is None else repr(within))
        recalled = self.memory.recall(key) if len(locators) > 1 else None
        if recalled is not None:
            known, same_document = recalled
            # see ``memory``: this document's answer; a frame's document may have changed
            # without the page's (memory counts the page's navigations only)
            if same_document and known.index is not None and self.frame_of(name) is None:
                combined = locators[known.index]
            self.log.append(replace(known, ms=round((time.perf_counter() - started) * 1000, 3),
                                    url=shown_url(self.page.url), reused=True,
                                    frame=self.frame_of(name)))
            self._reused.append((name, entry, locators, combined, started, key))
        elif len(locators) == 1 and entry.nth is None and not entry.all:
            # One strategy: if the action succeeds, strict mode proved exactly one match;
            # only a failure needs counting (done in settle).
            self._assumed.append((name, entry, locators, combined, started))
            return combined
        else:
            task = asyncio.ensure_future(
                self._classify(name, entry, locators, combined, started, timeout, key=key))
            self._pending.append(task)
            if navigates:
                await asyncio.sleep(0)  # the count goes out before the action
        self._combined.append((name, entry, locators, combined))
        return combined.nth(entry.nth) if entry.nth is not None else combined

    async def _classify(self, name: str, entry: SelectorEntry, locators: list[Locator],
                        combined: Locator, started: float, timeout: float,
                        waited: float | None = None,
                        key: MemoryKey | None = None) -> None:
        try:
            if await self._first_match(name, entry, locators, started) is not None:
                self._remember(key)
                return
            if timeout > 0:
                with contextlib.suppress(PlaywrightTimeout, PlaywrightError):
                    await combined.first.wait_for(state="attached", timeout=timeout)
            if await self._first_match(name, entry, locators, started, final=True,
                                       waited_ms=timeout if waited is None else waited):
                self._remember(key)
        except SelectorError as exc:
            self._errors.append(exc)
        except PlaywrightError:
            return  # the page or context went away; the step reports that itself
        except asyncio.CancelledError:
            self._record(name, entry, None, 0, started, outcome="unverified")
            raise

    def _remember(self, key: MemoryKey | None) -> None:
        """Let the session reuse a found name's classification (see ``memory``)."""
        if key is None:
            return
        for resolution in reversed(self.log):
            if resolution.name == key[1]:
                if resolution.outcome in ("primary", "fallback"):
                    self.memory.learn(key, resolution)
                return

    async def settle(self, *, succeeded: bool, timeout_ms: float | None = None,
                     cause: BaseException | None = None) -> SelectorError | None:
        """Collect the classifications of the step that just ran.

        After a failed step, waits for them and returns the selector error that explains
        the failure (missing or ambiguous), to be raised instead of Playwright's generic
        timeout. The wait is bounded by the step's own ``timeout_ms`` (default: the
        resolver's): a step that may take 500 ms must not then spend 15 s explaining
        itself; classifications still unfinished by then are cancelled (logged
        ``unverified``). After a successful step nothing is awaited (the step's time stays
        the action's time): unfinished classifications are collected by :meth:`finish`.

        ``cause``: what the step failed with. When it is the browser's syntax error, the
        names the step used are checked for the strategy it cannot parse, and that
        ``SelectorInvalid`` explains the failure before any other. When it is the end of
        the session (the portal showed its sign-in page), nothing is waited for or
        counted: no name of the page the step expected can be there, and "missing" in
        the log would read as drift of the map. When it is the browser refusing to enter
        an element that is no <iframe>, the frame name at fault is found and said (see
        ``frame_element``).
        """
        touched, self._touched = list(self._touched), {}
        pending, self._pending = self._pending, []
        assumed, self._assumed = self._assumed, []
        acted, self._combined = self._combined, []
        reused, self._reused = self._reused, []
        if isinstance(cause, SessionExpired):
            for task in pending:
                task.cancel()  # logged ``unverified``
            await asyncio.gather(*pending, return_exceptions=True)
            self._errors.clear()
            return None
        if succeeded:
            for name, entry, _, _, started in assumed:
                self._record(name, entry, 0, 1, started)
            self._deferred.extend(t for t in pending if not t.done())
            self._errors.clear()
            return None
        bound = self.timeout_ms if timeout_ms is None else timeout_ms
        for name, entry, locators, combined, started, key in reused:
            # the page changed under a known answer: look again, to say what is missing
            self.memory.forget(key)
            await self._classify(name, entry, locators, combined, started, 0, waited=bound)
        for name, entry, locators, combined, started in assumed:
            # the failed action itself already waited the step's timeout for it
            await self._classify(name, entry, locators, combined, started, 0, waited=bound)
        if pending:
            _, late = await asyncio.wait(pending, timeout=bound / 1000)
            for task in late:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            # a check cut short still owes its answer: one count now, without waiting
            for task, (name, entry, locators, combined) in zip(pending, acted, strict=False):
                if task in late:
                    await self._classify(name, entry, locators, combined,
                                         time.perf_counter(), 0, waited=bound)
        # what explains the failure before anything else: a strategy the browser cannot
        # parse, or a frame name that finds no <iframe>
        first: list[SelectorError] = [e for e in self._errors if isinstance(e, SelectorInvalid)]
        if not first and cause is not None and invalid_reason(cause) is not None:
            found = await self._invalid_among(touched)
            first = [found] if found is not None else []
        if not first and cause is not None and frame_refused(cause):
            wrong = await not_a_frame(self.page, self.map, touched)
            first = [wrong] if wrong is not None else []
        if not self._errors and not first:
            different = await self._different_elements(acted)
            if different is not None:
                self._errors.append(different)
        errors, self._errors = [*first, *holders_first(self.map, self._errors)], []
        return errors[0] if errors else None

    async def finish(self) -> None:
        """Complete the resolution log at the end of a run. A classification that cannot
        finish promptly (the page moved on before it looked) is logged ``unverified``."""
        await self.settle(succeeded=True)
        deferred, self._deferred = self._deferred, []
        if deferred:
            _, late = await asyncio.wait(deferred, timeout=0.25)
            for task in late:
                task.cancel()
            await asyncio.gather(*deferred, return_exceptions=True)
        self._errors.clear()

    async def one_now(self, name: str, *, within: Locator | None = None,
                      timeout_ms: float | None = None) -> Locator:
        """Like :meth:`one`, but classified before returning (raises selector errors)."""
        loc = await self.one(name, within=within, timeout_ms=timeout_ms)
        touched = dict(self._touched)  # still the step's: it has not ended
        error = await self.settle(succeeded=False)
        self._touched = touched
        if error is not None:
            raise error
        return loc

    async def primary(self, name: str) -> Locator:
        """The primary strategy's locator (scope applied), without any round trip; for
        callers that learn the match count from their own read (e.g. row extraction)."""
        entry = self.entry(name)
        base = await self._base(name, entry, None)
        return locator_for(base, entry.strategies[0])

    async def all(self, name: str, *, within: Locator | None = None) -> Locator:
        """Every element of a list name; zero matches is a valid (empty) answer."""
        entry = self.entry(name)
        started = time.perf_counter()
        base = await self._base(name, entry, within)
        locators = [locator_for(base, s) for s in entry.strategies]
        for index, loc in enumerate(locators):
            n = await self._count(name, entry, index, loc, started)
            if n:
                self._record(name, entry, index, n, started)
                return loc
        self._record(name, entry, 0, 0, started, outcome="empty")
        return locators[0]

    async def probe(self, name: str) -> Locator | None:
        """The element if some strategy matches right now (no waiting), else None."""
        entry = self.entry(name)
        started = time.perf_counter()
        base: Page | Locator | FrameLocator = self.page
        holder = entry.scope or entry.frame_name(name)
        if holder is not None:
            found = await self.probe(holder)
            if found is None:
                return None
            base = found if entry.scope is not None else found.content_frame
        for index, s in enumerate(entry.strategies):
            loc = locator_for(base, s)
            n = await self._count(name, entry, index, loc, started)
            if n:
                self._record(name, entry, index, n, started)
                return loc.nth(entry.nth) if entry.nth is not None else loc.first
        self._record(name, entry, None, 0, started, outcome="absent")
        return None

    def locators(self, name: str, base: Page | Locator | FrameLocator
                 ) -> list[tuple[str, Locator]]:
        """(description, locator) of every strategy, relative to ``base``."""
        entry = self.entry(name)
        return [(describe(s), locator_for(base, s)) for s in entry.strategies]

    def record(self, name: str, index: int | None, count: int, started: float,
               outcome: Outcome | None = None, url: str | None = None) -> None:
        """Log a resolution done outside this class (e.g. per-row field lookup); ``url``
        is where the name was looked for when that is not the page (a fetched document)."""
        self._record(name, self.entry(name), index, count, started, outcome, url,
                     in_row=True)
