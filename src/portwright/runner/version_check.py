"""Which selector map a run uses: the live page decides, without making the run wait.

Detecting the UI version reads the page (meta tags, globals, elements): a few round trips
on every new document, which hand-written Playwright never pays. A portal's UI version
changes with a deployment, not between two runs of one session, so a run on a session
that has already confirmed a version starts resolving with that version's map at once,
and the detection runs *concurrently* with the step's action. The check is collected when
that step ends, or before any step nested in it acts (``if``/``foreach`` bodies), so no
second action ever runs on an unconfirmed map.

If the page turns out to be another version, the session forgets the old one and the step
runs again with the right map when it does not write (reading twice is harmless). A step
that writes is never run twice: the run fails with the versions named, and the next run
uses the new version's map. Flows declared ``mutates: true`` never speculate at all.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable
from dataclasses import dataclass

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from portwright.exceptions import UnknownUIVersion
from portwright.selector_map.detect import Detection, detect_version
from portwright.selector_map.loader import ResolvedMap

__all__ = ["MapChanged", "PendingCheck", "detect_settled"]


async def _still_navigating(page: Page) -> bool:
    """Whether the page is between two documents: about:blank, or the new document not
    parsed yet (its meta tags and globals may simply not be there)."""
    if page.url in ("", "about:blank"):
        return True
    try:
        state = await page.evaluate("document.readyState")
    except PlaywrightError:
        return True  # the document went away while asked: a navigation
    return str(state) != "complete"


async def detect_settled(page: Page, maps: Iterable[ResolvedMap]) -> Detection:
    """``detect_version``, but "no map matches" is only concluded on a settled document.

    Read in the middle of a navigation, the page may be about:blank or a document whose
    ``<head>`` has not arrived: no rule matches although the page, once loaded, is a
    known version. Then the document is awaited and read once more."""
    chosen = tuple(maps)
    try:
        return await detect_version(page, chosen)
    except UnknownUIVersion:
        if not await _still_navigating(page):
            raise
    await page.wait_for_load_state("domcontentloaded")
    return await detect_version(page, chosen)


class MapChanged(Exception):
    """The concurrent check found another version than the one the step acted with.

    Internal: raised and caught inside the runner (by the step that started the check),
    never seen by a caller.
    """

    def __init__(self, found: Detection, assumed: str, depth: int) -> None:
        super().__init__(f"UI version {found.version}, not {assumed}")
        self.found = found
        self.assumed = assumed
        self.depth = depth


@dataclass
class PendingCheck:
    """A detection running alongside the first action of a run on an assumed version."""

    task: asyncio.Future[Detection]
    assumed: str
    #: nesting depth of the step whose action started it (see ``RunState.step_depth``)
    depth: int
    page: Page
    maps: tuple[ResolvedMap, ...]

    #: the action this check stopped because the page proved to be another version
    stopped: asyncio.Future[None] | None = None

    @classmethod
    def start(cls, page: Page, maps: Iterable[ResolvedMap], assumed: str, depth: int,
              action: asyncio.Future[None] | None) -> PendingCheck:
        """Detect concurrently; stop ``action`` (the running step's) as soon as the
        page is known to be another version, rather than let it wait out its timeout
        on selectors of the wrong map."""
        chosen = tuple(maps)
        check = cls(asyncio.ensure_future(detect_settled(page, chosen)), assumed, depth,
                    page, chosen)

        def conclude(task: asyncio.Future[Detection]) -> None:
            if task.cancelled() or action is None or action.done():
                return
            error = task.exception()
            if isinstance(error, PlaywrightError):
                return  # the action navigated while detection read: not a verdict
            if error is None and task.result().version == assumed:
                return
            check.stopped = action
            action.cancel()

        check.task.add_done_callback(conclude)
        return check

    async def result(self) -> Detection:
        """The detection; again on the current document if the action navigated away
        while it was reading (Playwright then reports the old document gone)."""
        try:
            return await self.task
        except PlaywrightError:
            return await detect_settled(self.page, self.maps)

    def cancel(self) -> None:
        self.task.cancel()
        with contextlib.suppress(BaseException):
            self.task.exception()  # mark retrieved: no "never retrieved" warning
