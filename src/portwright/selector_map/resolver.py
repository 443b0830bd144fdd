"""Logical name → Playwright locator, with a log of how each name was found.

Cost model: when the primary strategy matches, resolving costs one ``count()`` round
trip, whose answer is also the ambiguity check (so actions can rely on it instead of a
second strict-mode probe). Only when the primary finds nothing are fallbacks counted;
when none matches yet, one combined ``or`` locator waits for whichever appears first,
then the strategies are counted once more to name the winner.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import asdict, dataclass
from typing import Any, Literal

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator, Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from portwright.exceptions import SelectorAmbiguous, SelectorNotFound
from portwright.selector_map.loader import ResolvedMap
from portwright.selector_map.model import SelectorEntry
from portwright.selector_map.strategies import describe, locator_for

__all__ = ["Resolution", "Resolver"]

#: ``absent``: a ``probe`` (e.g. ``if visible``) found nothing, which is an answer, not a
#: failure; ``empty``: a list name matched zero elements.
Outcome = Literal["primary", "fallback", "missing", "ambiguous", "empty", "absent"]


@dataclass(frozen=True)
class Resolution:
    """One resolution: which strategy found ``name``, how many matched, how long it took."""

    name: str
    strategy: str | None
    index: int | None
    count: int
    ms: float
    outcome: Outcome
    url: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Resolver:
    """Resolves names of one map on one page; appends to a shared resolution log."""

    def __init__(self, page: Page, smap: ResolvedMap, log: list[Resolution],
                 timeout_ms: float) -> None:
        self.page = page
        self.map = smap
        self.log = log
        self.timeout_ms = timeout_ms

    def entry(self, name: str) -> SelectorEntry:
        entry = self.map.entries.get(name)
        if entry is None:
            raise SelectorNotFound(
                "logical name is not in the selector map", name=name, url=self.page.url,
                map_version=self.map.version,
                hint=f"add '{name}' to {self.map.file} (or the map it extends)",
            )
        return entry

    def _tried(self, entry: SelectorEntry, counts: list[int | None]) -> list[str]:
        return [f"{describe(s)} → {'not tried' if c is None else c}"
                for s, c in zip(entry.strategies, counts, strict=False)] + [
            f"{describe(s)} → not tried" for s in entry.strategies[len(counts):]]

    async def _base(self, entry: SelectorEntry, within: Locator | None) -> Page | Locator:
        if within is not None:
            return within
        if entry.scope is not None:
            return await self.one(entry.scope)
        return self.page

    async def one(self, name: str, *, within: Locator | None = None,
                  timeout_ms: float | None = None) -> Locator:
        """Exactly one element (or the entry's ``nth``); waits for it to appear."""
        entry = self.entry(name)
        started = time.perf_counter()
        base = await self._base(entry, within)
        locators = [locator_for(base, s) for s in entry.strategies]
        found = await self._first_match(name, entry, locators, started)
        if found is not None:
            return found
        combined = locators[0]
        for extra in locators[1:]:
            combined = combined.or_(extra)
        with contextlib.suppress(PlaywrightTimeout, PlaywrightError):
            await combined.first.wait_for(
                state="attached", timeout=timeout_ms if timeout_ms is not None else self.timeout_ms
            )
        found = await self._first_match(name, entry, locators, started, final=True)
        assert found is not None  # _first_match raises when final
        return found

    async def _first_match(self, name: str, entry: SelectorEntry, locators: list[Locator],
                           started: float, final: bool = False) -> Locator | None:
        counts: list[int | None] = []
        for index, loc in enumerate(locators):
            n = await loc.count()
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
            raise SelectorNotFound(
                "no strategy matched", name=name, strategies=self._tried(entry, counts),
                url=self.page.url, map_version=self.map.version,
                hint=f"the page may have changed: update '{name}' in {self.map.origin.get(name)}",
            )
        return None

    async def all(self, name: str, *, within: Locator | None = None) -> Locator:
        """Every element of a list name; zero matches is a valid (empty) answer."""
        entry = self.entry(name)
        started = time.perf_counter()
        base = await self._base(entry, within)
        locators = [locator_for(base, s) for s in entry.strategies]
        for index, loc in enumerate(locators):
            n = await loc.count()
            if n:
                self._record(name, entry, index, n, started)
                return loc
        self._record(name, entry, 0, 0, started, outcome="empty")
        return locators[0]

    async def probe(self, name: str) -> Locator | None:
        """The element if some strategy matches right now (no waiting), else None."""
        entry = self.entry(name)
        started = time.perf_counter()
        base = await self._base(entry, None) if entry.scope is None else self.page
        if entry.scope is not None:
            scope = await self.probe(entry.scope)
            if scope is None:
                return None
            base = scope
        for index, s in enumerate(entry.strategies):
            loc = locator_for(base, s)
            n = await loc.count()
            if n:
                self._record(name, entry, index, n, started)
                return loc.nth(entry.nth) if entry.nth is not None else loc.first
        self._record(name, entry, None, 0, started, outcome="absent")
        return None

    def locators(self, name: str, base: Page | Locator) -> list[tuple[str, Locator]]:
        """(description, locator) of every strategy, relative to ``base``."""
        entry = self.entry(name)
        return [(describe(s), locator_for(base, s)) for s in entry.strategies]

    def record(self, name: str, index: int | None, count: int, started: float,
               outcome: Outcome | None = None) -> None:
        """Log a resolution done outside this class (e.g. per-row field lookup)."""
        self._record(name, self.entry(name), index, count, started, outcome)

    def _record(self, name: str, entry: SelectorEntry, index: int | None, count: int,
                started: float, outcome: Outcome | None = None) -> None:
        if outcome is None:
            outcome = "primary" if index == 0 else "fallback"
        self.log.append(Resolution(
            name=name,
            strategy=describe(entry.strategies[index]) if index is not None else None,
            index=index, count=count, ms=round((time.perf_counter() - started) * 1000, 3),
            outcome=outcome, url=self.page.url,
        ))
