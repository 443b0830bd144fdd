"""Counting a name's strategies on the page, and what the counts mean.

A strategy's count decides a resolution: the first strategy (primary, then fallbacks)
that finds something wins, two or more elements where one was expected are ambiguous,
none at all is missing, and a strategy the browser cannot parse is invalid whatever the
page shows. Each verdict is logged as a ``Resolution`` naming the frame it was looked in
and, when it is a failure, raised as the selector error that lists every strategy tried.

This is the part of the resolver that talks to the page; *when* it counts (concurrently
with the action, and collected when the step ends) is ``resolver``'s business.
"""

from __future__ import annotations

import time

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator, Page

from portwright.exceptions import (
    SelectorAmbiguous,
    SelectorInvalid,
    SelectorNotFound,
)
from portwright.selector_map.holders import frame_of
from portwright.selector_map.loader import ResolvedMap
from portwright.selector_map.memory import ResolutionMemory
from portwright.selector_map.model import SelectorEntry
from portwright.selector_map.resolution import Outcome, Resolution
from portwright.selector_map.strategies import describe, first_invalid, invalid_reason
from portwright.shown_url import shown_url

__all__ = ["StrategyCounter"]


class StrategyCounter:
    """Counts strategies of one map's names on one page; appends to a shared log."""

    def __init__(self, page: Page, smap: ResolvedMap, log: list[Resolution],
                 memory: ResolutionMemory | None = None) -> None:
        self.page = page
        self.memory = memory if memory is not None else ResolutionMemory(reuse_s=0)
        self.map = smap
        self.log = log
        #: frame name → a name looked for inside it (to say what a missing frame holds)
        self._frame_of_name: dict[str, str] = {}

    def frame_of(self, name: str, *, in_row: bool = False) -> str | None:
        """The logical name of the <iframe> ``name`` is found in: its own ``frame`` or
        that of its scope (``in_row``: a field read inside the rows of a list it is named
        after, ``patients.row.mrn``, is in the list's frame); None for the page itself."""
        return frame_of(self.map, name, in_row=in_row)

    def _record(self, name: str, entry: SelectorEntry, index: int | None, count: int,
                started: float, outcome: Outcome | None = None,
                url: str | None = None, *, in_row: bool = False) -> None:
        if outcome is None:
            outcome = "primary" if index == 0 else "fallback"
        self.log.append(Resolution(
            name=name,
            strategy=describe(entry.strategies[index]) if index is not None else None,
            index=index, count=count, ms=round((time.perf_counter() - started) * 1000, 3),
            outcome=outcome, url=shown_url(url if url is not None else self.page.url),
            frame=self.frame_of(name, in_row=in_row),
        ))

    def _invalid(self, name: str, entry: SelectorEntry, index: int, reason: str,
                 started: float) -> SelectorInvalid:
        """Log strategy ``index`` of ``name`` as one the browser cannot parse; the error."""
        self._record(name, entry, index, 0, started, outcome="invalid")
        self.memory.forget_name(self.map.version, name)
        return SelectorInvalid(
            reason, name=name, strategy=describe(entry.strategies[index]), index=index,
            file=str(self.map.origin.get(name, self.map.file)), url=self.page.url,
            map_version=self.map.version)

    async def _count(self, name: str, entry: SelectorEntry, index: int, loc: Locator,
                     started: float) -> int:
        """``loc.count()`` of strategy ``index``; ``SelectorInvalid`` when the browser
        cannot parse it."""
        try:
            return await loc.count()
        except PlaywrightError as exc:
            reason = invalid_reason(exc)
            if reason is None:
                raise
            raise self._invalid(name, entry, index, reason, started) from None

    async def _invalid_among(self, names: list[str]) -> SelectorInvalid | None:
        """The first strategy of ``names`` the browser cannot parse, as the error; None
        when they all parse (or the page is gone)."""
        for name in names:
            entry = self.map.entries[name]
            started = time.perf_counter()
            try:
                found = await first_invalid(self.page, entry.strategies)
            except PlaywrightError:
                return None
            if found is not None:
                return self._invalid(name, entry, found[0], found[1], started)
        return None

    def _tried(self, entry: SelectorEntry, counts: list[int | None]) -> list[str]:
        return [f"{describe(s)} → {'not tried' if c is None else c}"
                for s, c in zip(entry.strategies, counts, strict=False)] + [
            f"{describe(s)} → not tried" for s in entry.strategies[len(counts):]]

    async def _first_match(self, name: str, entry: SelectorEntry, locators: list[Locator],
                           started: float, final: bool = False,
                           waited_ms: float | None = None) -> Locator | None:
        counts: list[int | None] = []
        for index, loc in enumerate(locators):
            n = await self._count(name, entry, index, loc, started)
            counts.append(n)
            if n == 0:
                continue
            if entry.nth is not None:
                if n > entry.nth:
                    self._record(name, entry, index, n, started)
                    return loc.nth(entry.nth)
                continue
            if n > 1 and not entry.all:
                self._record(name, entry, index, n, started, outcome="ambiguous")
                raise SelectorAmbiguous(
                    f"matched {n} elements where one was expected", name=name,
                    strategies=self._tried(entry, counts), url=self.page.url,
                    map_version=self.map.version,
                    hint="make the strategy more specific, add 'scope', or set 'nth'",
                )
            self._record(name, entry, index, n, started)
            return loc
        if final:
            self._record(name, entry, None, 0, started, outcome="missing")
            within = f" within {waited_ms:g} ms" if waited_ms else ""
            held = self._frame_of_name.get(name)
            if held is not None:
                raise SelectorNotFound(
                    f"the <iframe> that holds '{held}' was not found: no strategy matched"
                    f"{within}", name=name, strategies=self._tried(entry, counts),
                    url=self.page.url, map_version=self.map.version,
                    hint=f"the portal may have moved or renamed the frame: update '{name}' "
                         f"in {self.map.origin.get(name)}")
            raise SelectorNotFound(
                f"no strategy matched{within}", name=name, strategies=self._tried(entry, counts),
                url=self.page.url, map_version=self.map.version,
                hint=f"the page may have changed: update '{name}' in {self.map.origin.get(name)}",
            )
        return None

    async def _different_elements(
        self, acted: list[tuple[str, SelectorEntry, list[Locator], Locator]]
    ) -> SelectorAmbiguous | None:
        """After a failure: did strategies of one name match *different* elements (which
        strict mode refuses on the ``or`` of them)?"""
        for name, entry, locators, combined in acted:
            if entry.nth is not None or entry.all:
                continue
            try:
                if await combined.count() <= 1:
                    continue
                counts: list[int | None] = [await loc.count() for loc in locators]
            except PlaywrightError:
                continue
            return SelectorAmbiguous(
                "its strategies match different elements", name=name,
                strategies=self._tried(entry, counts), url=self.page.url,
                map_version=self.map.version,
                hint="every strategy of a name must find the same element; fix or drop the "
                     "one that finds another",
            )
        return None
