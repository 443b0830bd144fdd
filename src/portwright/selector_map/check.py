"""``selectors check``: resolve every name of a map on the pages where it belongs.

Each name is counted with every strategy (no waiting), and classified: found by its
primary strategy, by a fallback, missing, or ambiguous. Names are grouped by the map's
``pages`` (keyed by the name's first segment); public pages are checked before logging in.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Literal

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator, Page

from portwright.selector_map.loader import ResolvedMap
from portwright.selector_map.strategies import describe, locator_for

__all__ = ["NameCheck", "check_names", "implicit_row", "names_by_page", "open_page", "page_of"]

#: how long a page may keep loading (its JSON) before its names are counted anyway
SETTLE_MS = 5_000

Verdict = Literal["primary", "fallback", "missing", "ambiguous", "not shown"]


@dataclass(frozen=True)
class NameCheck:
    name: str
    verdict: Verdict
    strategy: str | None
    count: int
    page: str | None


def page_of(smap: ResolvedMap, name: str) -> str | None:
    """The page key of ``name``: its longest dotted prefix that ``pages`` lists (so
    ``chart.document`` can live on another tab than ``chart``); None when there is none."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        key = ".".join(parts[:end])
        if key in smap.pages:
            return key
    return None


def names_by_page(smap: ResolvedMap) -> dict[str | None, list[str]]:
    """Page key (None for names without a page) → names, in map order."""
    out: dict[str | None, list[str]] = {}
    for name in smap.entries:
        out.setdefault(page_of(smap, name), []).append(name)
    return out


def implicit_row(smap: ResolvedMap, name: str) -> str | None:
    """For a row field without ``scope`` (``patients.row.mrn``): the list name it is a
    field of (``patients.row``, an ``all`` name that prefixes it). Flows read such fields
    inside each row; the check counts them inside the first."""
    parts = name.split(".")
    for end in range(len(parts) - 1, 0, -1):
        parent = smap.entries.get(".".join(parts[:end]))
        if parent is not None and parent.all:
            return ".".join(parts[:end])
    return None


async def _base(page: Page, smap: ResolvedMap, name: str, depth: int = 0) -> Page | Locator | None:
    entry = smap.entries[name]
    scope = entry.scope or implicit_row(smap, name)
    if scope is None or depth > 10:
        return page
    parent = await _base(page, smap, scope, depth + 1)
    if parent is None:
        return None
    scope_entry = smap.entries[scope]
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


async def open_page(page: Page, smap: ResolvedMap, base_url: str, key: str) -> str | None:
    """Load page ``key`` and run its ``setup`` clicks; None, or why the page was not
    reached (a setup name found nothing). Waits for the network to settle after each
    move, since pages that render from the portal's JSON show their rows only then."""
    spec = smap.pages[key]
    await page.goto(base_url.rstrip("/") + spec.path)
    await _settle(page)
    for name in spec.setup:
        target = None
        base = await _base(page, smap, name)
        if base is not None:
            for strategy in smap.entries[name].strategies:
                loc = locator_for(base, strategy)
                if await loc.count():
                    target = loc.first
                    break
        if target is None:
            return f"setup of page '{key}': '{name}' found nothing on {page.url}"
        await target.click()
        await _settle(page)
    return None


async def _settle(page: Page) -> None:
    with contextlib.suppress(PlaywrightError):
        await page.wait_for_load_state("networkidle", timeout=SETTLE_MS)
