"""``selectors check``: resolve every name of a map on the pages where it belongs.

Each name is counted with every strategy (no waiting), and classified: found by its
primary strategy, by a fallback, missing, or ambiguous. Names are grouped by the map's
``pages`` (keyed by the name's first segment); public pages are checked before logging in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from playwright.async_api import Locator, Page

from portwright.selector_map.loader import ResolvedMap
from portwright.selector_map.strategies import describe, locator_for

__all__ = ["NameCheck", "check_names", "names_by_page"]

Verdict = Literal["primary", "fallback", "missing", "ambiguous", "not shown"]


@dataclass(frozen=True)
class NameCheck:
    name: str
    verdict: Verdict
    strategy: str | None
    count: int
    page: str | None


def names_by_page(smap: ResolvedMap) -> dict[str | None, list[str]]:
    """Page key (None for names without a page) → names, in map order."""
    out: dict[str | None, list[str]] = {}
    for name in smap.entries:
        key = name.split(".", 1)[0]
        out.setdefault(key if key in smap.pages else None, []).append(name)
    return out


async def _base(page: Page, smap: ResolvedMap, name: str, depth: int = 0) -> Page | Locator | None:
    entry = smap.entries[name]
    if entry.scope is None or depth > 10:
        return page
    parent = await _base(page, smap, entry.scope, depth + 1)
    if parent is None:
        return None
    scope_entry = smap.entries[entry.scope]
    for s in scope_entry.strategies:
        loc = locator_for(parent, s)
        if await loc.count():
            return loc.first
    return None


async def check_names(page: Page, smap: ResolvedMap, names: list[str], page_key: str | None
                      ) -> list[NameCheck]:
    """Classify ``names`` on the page as it is now."""
    results: list[NameCheck] = []
    for name in names:
        entry = smap.entries[name]
        base = await _base(page, smap, name)
        verdict: Verdict = "missing"
        used: str | None = None
        count = 0
        if base is not None:
            for index, strategy in enumerate(entry.strategies):
                n = await locator_for(base, strategy).count()
                if n == 0:
                    continue
                used, count = describe(strategy), n
                if n > 1 and not entry.all and entry.nth is None:
                    verdict = "ambiguous"
                else:
                    verdict = "primary" if index == 0 else "fallback"
                break
        if verdict == "missing" and entry.conditional:
            verdict = "not shown"
        results.append(NameCheck(name, verdict, used, count, page_key))
    return results
