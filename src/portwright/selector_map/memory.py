"""What a session has learnt about which strategy finds each name, for a while.

Classifying a resolution (which strategy matched, how many) costs a browser round trip
that the action itself does not need: the action goes through the ``or`` of all
strategies, and strict mode proves it found exactly one element. That answer only feeds
the resolution log, and it does not change from one run to the next while the portal
stays the same. So a session remembers it per (map version, name, page path, scope) and
resolutions within ``reuse_s`` seconds log the remembered answer marked ``reused``
instead of asking again. A step that fails forgets the names it used, so the error is
explained from a fresh look at the page. ``reuse_s = 0`` classifies every resolution
(what a drift monitor wants: a fallback starting to match is noticed on its first run).

On a new document the action still goes through the ``or`` of all strategies, so a
fallback keeps working the moment a primary breaks. Only while the *same document* stays
loaded (no main-frame navigation since the answer was learnt: pagination, a form filled
field by field) does the action use the strategy that found the name directly, sparing
the browser the others.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from playwright.async_api import Frame, Page

if TYPE_CHECKING:
    from portwright.selector_map.resolver import Resolution

__all__ = ["MemoryKey", "ResolutionMemory"]

#: (map version, logical name, page path, scope locator or None)
MemoryKey = tuple[str, str, str, str | None]


@dataclass
class ResolutionMemory:
    """Classifications a session may reuse for ``reuse_s`` seconds."""

    reuse_s: float = 60.0
    _known: dict[MemoryKey, tuple[float, int, Resolution]] = field(default_factory=dict)
    #: main-frame navigations of the watched page (``-1``: not watching, never "same")
    _document: int = -1
    _page: Page | None = None

    #: documents counted on every page watched so far: a session that recycles its page
    #: goes on counting, so no answer from the old page's documents passes for the new one's
    _counted: int = 0

    def watch(self, page: Page) -> None:
        """Count ``page``'s documents, so answers can be known to be from this one."""
        if self._page is page:
            return
        self.unwatch()
        self._counted += 1
        self._page, self._document = page, self._counted
        page.on("framenavigated", self._navigated)

    def unwatch(self) -> None:
        if self._page is not None:
            self._page.remove_listener("framenavigated", self._navigated)
            self._page, self._document = None, -1

    def _navigated(self, frame: Frame) -> None:
        if frame.parent_frame is None:
            self._counted += 1
            self._document = self._counted

    @staticmethod
    def key(version: str, name: str, url: str, scope: str | None) -> MemoryKey:
        return (version, name, urlsplit(url).path, scope)

    def recall(self, key: MemoryKey) -> tuple[Resolution, bool] | None:
        """The remembered answer and whether it was learnt on the current document."""
        if self.reuse_s <= 0:
            return None
        found = self._known.get(key)
        if found is None:
            return None
        learnt, document, resolution = found
        if time.monotonic() - learnt > self.reuse_s:
            del self._known[key]
            return None
        return resolution, document >= 0 and document == self._document

    def learn(self, key: MemoryKey, resolution: Resolution) -> None:
        if self.reuse_s > 0:
            self._known[key] = (time.monotonic(), self._document, resolution)

    def forget(self, key: MemoryKey) -> None:
        self._known.pop(key, None)

    def forget_name(self, version: str, name: str) -> None:
        """Forget ``name`` of map ``version`` on every page and in every scope."""
        for key in [k for k in self._known if k[:2] == (version, name)]:
            del self._known[key]
