"""A frame name that finds something other than an <iframe>: said as such.

A name with ``frame`` is searched in the document of the element its frame name finds.
When that element is no <iframe> or <frame> (the map author pointed the frame name at the
<div> around the widget, or the portal replaced the iframe with inline markup), the
browser refuses every lookup inside it with its own error, which quotes the element's
markup and text (possibly PHI) and names no logical name. After a step fails with that
error, this module finds which frame name of the names the step used is at fault and
reports it as a ``SelectorNotFound`` on that frame name: which map version and file, the
page, what was expected, and the tag name of what was found instead, never its text.

Only a failed step is examined: an action never waits for this check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import FrameLocator, Locator, Page

from portwright.exceptions import SelectorNotFound
from portwright.selector_map.holders import frames_entered
from portwright.selector_map.loader import ResolvedMap
from portwright.selector_map.strategies import describe, locator_for

__all__ = ["FRAME_TAGS", "frame_refused", "not_a_frame"]

#: the elements whose document a frame name can enter (``localName``)
FRAME_TAGS = frozenset({"iframe", "frame"})

#: Playwright's words when a frame locator's selector finds another element:
#: ``Selector "h1" resolved to <h1>…</h1>, <iframe> was expected``
_REFUSED = re.compile(r"resolved to <[^\n]*, <iframe> was expected")


def frame_refused(error: BaseException) -> bool:
    """Whether ``error`` is the browser refusing to enter an element that is no frame."""
    return _REFUSED.search(str(error)) is not None


def _elements(page: Page, smap: ResolvedMap, name: str) -> list[Locator]:
    """One locator per strategy of ``name``, entered through its scope or frame as the
    resolver enters them; nothing is logged or waited for."""
    entry = smap.entries[name]
    base: Page | Locator | FrameLocator = page
    if entry.scope is not None:
        base = _either(_elements(page, smap, entry.scope))
    else:
        frame = entry.frame_name(name)
        if frame is not None:
            base = _either(_elements(page, smap, frame)).content_frame
    found = [locator_for(base, s) for s in entry.strategies]
    return [loc.nth(entry.nth) for loc in found] if entry.nth is not None else found


def _either(locators: list[Locator]) -> Locator:
    combined = locators[0]
    for extra in locators[1:]:
        combined = combined.or_(extra)
    return combined


async def _tags(loc: Locator) -> list[str]:
    tags: list[str] = await loc.evaluate_all("els => els.map(e => e.localName)")
    return tags


async def not_a_frame(page: Page, smap: ResolvedMap,
                      names: Iterable[str]) -> SelectorNotFound | None:
    """The error for the first frame name (of those ``names`` are looked up through,
    outermost first) whose element is no <iframe> or <frame>; None when every one is
    (or the page is gone, or a name is not in the map)."""
    checked: set[str] = set()
    for name in names:
        if name not in smap.entries:
            continue
        for frame, held in frames_entered(smap, name):
            if frame in checked:
                continue
            checked.add(frame)
            try:
                error = await _check(page, smap, frame, held)
            except PlaywrightError:
                return None  # the page or an enclosing frame went away meanwhile
            if error is not None:
                return error
    return None


async def _check(page: Page, smap: ResolvedMap, frame: str,
                 held: str) -> SelectorNotFound | None:
    """The error when a strategy of ``frame`` finds an element that is no frame (the
    first such strategy, primary first, as the resolver tries them)."""
    entry = smap.entries[frame]
    tried: list[str] = []
    for strategy, loc in zip(entry.strategies, _elements(page, smap, frame), strict=True):
        tags = await _tags(loc)
        wrong = next((t for t in tags if t not in FRAME_TAGS), None)
        tried.append(f"{describe(strategy)} → {len(tags)}"
                     + (f" (<{wrong}>)" if wrong is not None else ""))
        if wrong is None:
            continue
        tried += [f"{describe(s)} → not tried" for s in entry.strategies[len(tried):]]
        file = smap.origin.get(frame, smap.file)
        return SelectorNotFound(
            f"the frame name of '{held}' found <{wrong}>, where an <iframe> or <frame> "
            "element was expected", name=frame, strategies=tried,
            url=page.url, map_version=smap.version,
            hint=f"point '{frame}' in {file} at the <iframe> element itself, not at an "
                 "element around it (or drop 'frame' if the content is in the page)")
    return None
