"""``selectors check``: resolve every name of a map on the pages where it belongs.

Each name is counted with every strategy (no waiting), and classified: found by its
primary strategy, by a fallback, missing, or ambiguous; or *invalid*, when one of its
strategies is no selector the browser can parse (``[data-id=2]``: the value unquoted).
An invalid strategy fails every action on the name at run time (the action goes through
the ``or`` of all its strategies), so a name is invalid even when another strategy
matched; the browser's reason is the check's ``detail``, and the other names are checked
as usual. Names are grouped by the map's ``pages`` (keyed by the name's first segment);
public pages are checked before logging in. A name inside a frame is counted in the
frame's document; when its <iframe> is not there, it is missing (and so is the frame's
own name, checked like any other: an inline frame as ``<name>#frame``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import FrameLocator, Locator, Page

from portwright.selector_map.loader import ResolvedMap
from portwright.selector_map.settle import NetworkQuiet
from portwright.selector_map.strategies import (
    describe,
    first_invalid,
    invalid_reason,
    locator_for,
)
from portwright.shown_url import shown_url

__all__ = ["ROW_TRIES", "NameCheck", "check_names", "check_page", "implicit_row",
           "names_by_page", "open_page", "page_of"]

#: how many rows of a list ``check_page`` tries to reach a detail page showing its names
ROW_TRIES = 5

Verdict = Literal["primary", "fallback", "missing", "ambiguous", "invalid", "not shown",
                  "not checked"]


@dataclass(frozen=True)
class NameCheck:
    name: str
    verdict: Verdict
    strategy: str | None
    count: int
    page: str | None
    #: which strategy (0-based) found it, when one did (for ``invalid``: the one that is)
    index: int | None = None
    #: for ``invalid``: the browser's reason, its first line
    detail: str | None = None


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


Base = Page | Locator | FrameLocator


async def _base(page: Page, smap: ResolvedMap, name: str, depth: int = 0) -> Base | None:
    """Where ``name`` is looked for: within its scope (or the first row of the list it is
    a field of), in its frame's document, or the page; None when that is not there."""
    entry = smap.entries[name]
    frame = None if entry.scope is not None else entry.frame_name(name)
    scope = entry.scope or frame or implicit_row(smap, name)
    if scope is None or depth > 10:
        return page
    parent = await _base(page, smap, scope, depth + 1)
    holder = None if parent is None else await _first_of(parent, smap, scope, 0)
    if holder is None or frame is None:
        return holder
    # a frame name that finds some other element holds no document: nothing is inside
    tag = await holder.evaluate("el => el.tagName")
    return holder.content_frame if str(tag).upper() in ("IFRAME", "FRAME") else None


async def check_names(page: Page, smap: ResolvedMap, names: list[str], page_key: str | None
                      ) -> list[NameCheck]:
    """Classify ``names`` on the page as it is now."""
    results: list[NameCheck] = []
    for name in names:
        base = await _base(page, smap, name)
        results.append(await _check_name(page if base is None else base, base is not None,
                                         smap, name, page_key))
    return results


async def _check_name(base: Base, reached: bool, smap: ResolvedMap, name: str,
                      page_key: str | None) -> NameCheck:
    """Classify one name within ``base`` (``reached``: False when its scope was not found,
    so it can only be missing, or invalid: syntax is the same everywhere)."""
    entry = smap.entries[name]
    verdict: Verdict = "missing"
    found: tuple[int, int] | None = None  # (strategy index, count)
    counted = 0  # strategies counted; the rest are only checked for syntax
    for index, strategy in enumerate(entry.strategies if reached else []):
        counted = index + 1
        try:
            n = await locator_for(base, strategy).count()
        except PlaywrightError as exc:
            reason = invalid_reason(exc)
            if reason is None:
                raise
            return NameCheck(name, "invalid", describe(strategy), 0, page_key, index, reason)
        if n == 0:
            continue
        found = (index, n)
        if n > 1 and not entry.all and entry.nth is None:
            verdict = "ambiguous"
        else:
            verdict = "primary" if index == 0 else "fallback"
        break
    invalid = await first_invalid(base, entry.strategies[counted:])
    if invalid is not None:
        index = counted + invalid[0]
        return NameCheck(name, "invalid", describe(entry.strategies[index]), 0, page_key,
                         index, invalid[1])
    if found is None:
        return NameCheck(name, "not shown" if entry.conditional else "missing", None, 0,
                         page_key)
    index, n = found
    return NameCheck(name, verdict, describe(entry.strategies[index]), n, page_key, index)


async def open_page(page: Page, smap: ResolvedMap, base_url: str, key: str, row: int = 0
                    ) -> str | None:
    """Load page ``key`` and run its ``setup`` clicks; None, or why the page was not
    reached (a setup name found nothing). The first click takes row ``row`` of what it
    finds (the list's rows, see :func:`check_page`). Waits for the network to settle after
    each move, since pages that render from the portal's JSON show their rows only then."""
    spec = smap.pages[key]
    async with NetworkQuiet(page) as quiet:
        await page.goto(base_url.rstrip("/") + spec.path)
        await quiet.settled()
    for step, name in enumerate(spec.setup):
        target = await _nth_match(page, smap, name, row if step == 0 else 0)
        if target is None:
            found = f"no row {row + 1} for '{name}'" if row and step == 0 else \
                f"'{name}' found nothing"
            return f"setup of page '{key}': {found} on {shown_url(page.url)}"
        async with NetworkQuiet(page) as quiet:
            await target.click()
            await quiet.settled()
    return None


async def _first_of(base: Base, smap: ResolvedMap, name: str, nth: int
                    ) -> Locator | None:
    """Match ``nth`` of the first strategy of ``name`` that has that many, within ``base``.
    A strategy the browser cannot parse is passed over (the name itself is reported
    ``invalid`` where it is checked)."""
    for strategy in smap.entries[name].strategies:
        loc = locator_for(base, strategy)
        try:
            n = await loc.count()
        except PlaywrightError as exc:
            if invalid_reason(exc) is None:
                raise
            continue
        if n > nth:
            return loc.nth(nth)
    return None


async def _nth_match(page: Page, smap: ResolvedMap, name: str, row: int) -> Locator | None:
    """What a setup click on ``name`` targets for list row ``row``: inside the row-th row
    when ``name`` is a field of a list (``patients.row.link``), else its row-th match."""
    entry = smap.entries[name]
    scope = entry.scope or implicit_row(smap, name)
    if row and scope is not None and smap.entries[scope].all:
        outer = await _base(page, smap, scope)
        rows = None if outer is None else await _first_of(outer, smap, scope, row)
        return None if rows is None else await _first_of(rows, smap, name, 0)
    base = await _base(page, smap, name)
    return None if base is None else await _first_of(base, smap, name, row)


async def check_page(page: Page, smap: ResolvedMap, base_url: str,
                     names_of: dict[str, list[str]], tries: int = ROW_TRIES
                     ) -> tuple[list[NameCheck], str | None]:
    """Open the page that the keys of ``names_of`` share and classify their names.

    A detail page is reached through a list (the first patient, the first visit), and the
    first record may lack what some names show: a patient without documents has no
    document rows. Then the next rows of the list are tried, up to ``tries``, and the
    attempt with the fewest missing names is kept, so "missing" means the map is wrong,
    not that one record had nothing to show. Returns the results and, when the page could
    not be reached at all, why.
    """
    keys = list(names_of)
    spec = smap.pages[keys[0]]
    best: list[NameCheck] = []
    best_missing = -1
    reached: str | None = None
    for row in range(tries if spec.setup else 1):
        problem = await open_page(page, smap, base_url, keys[0], row)
        if problem is not None and row > 0:
            break  # the list has no more rows
        results = [r for key in keys for r in await check_names(page, smap, names_of[key], key)]
        missing = sum(1 for r in results if r.verdict == "missing")
        if best_missing < 0 or missing < best_missing:
            best, best_missing, reached = results, missing, problem
        if missing == 0 or problem is not None:
            break
    return best, reached
