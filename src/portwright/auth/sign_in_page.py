"""Noticing that the portal signed the run out: its sign-in page, shown unasked.

A portal that ends a session in the middle of a run (a logout, an idle timeout, an
administrator revoking it) answers the run's next page with its sign-in page: a
``goto /patients/7`` lands on ``/login?next=...``. The step after it waits for an element
of the page it expected, which the sign-in page never shows, and used to fail only when
its whole timeout ran out, with "selector not found ... the page may have changed: update
the map": late, and the wrong diagnosis.

The selector map says which pages need no sign-in (``pages: {login: {path: /login,
public: true}}``). While a step runs, its guard (see ``resolver.lookup_guard``) answers

* a logical name of a non-public page looked up while the page shows a public page the
  run did not ask for: ``SessionExpired`` at once, before any waiting;
* a navigation to such a page while the step waits for such a name: the step is stopped
  at once with the same error (one ``framenavigated`` listener per run, no polling);
  a step that failed to find such a name (a timeout) while the page went there, before
  the event was seen, fails with it too.

Asked for: the running flow refers to names of that page (the login flows fill
``login.username``), or the run's last ``goto`` opened it. ``PortalAuth`` recovers from the
error as from any expired session; a plain ``Engine`` reports it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page

from portwright.exceptions import PortwrightError, SelectorNotFound, SessionExpired
from portwright.flow.steps.base import StepBase
from portwright.flow.steps.goto import GotoStep
from portwright.selector_map.model import PageSpec
from portwright.selector_map.resolver import Resolver
from portwright.shown_url import shown_url

if TYPE_CHECKING:
    from portwright.flow.model import Flow
    from portwright.runner.context import RunContext

__all__ = ["HINT", "SignInPages", "SignInWatch", "StepGuard", "acted_on_nothing",
           "fetched_sign_in_page", "signed_out"]

HINT = ("the portal ended the session during the run; PortalAuth re-signs in and resumes: "
        "see docs/auth.md")
_WATCH = "sign_in_watch"


def _page_key(keys: Iterable[str], name: str) -> str | None:
    """The page ``name`` belongs to: its longest dotted prefix that is a page key."""
    known = set(keys)
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        key = ".".join(parts[:end])
        if key in known:
            return key
    return None


def _path(path: str) -> str:
    return path.rstrip("/") or "/"


@dataclass(frozen=True)
class SignInPages:
    """The portal's public pages (every map version's), and where they are."""

    #: public page key → its path below the portal URL
    paths: Mapping[str, str]
    #: every page key (a name belongs to its longest prefix among them)
    keys: frozenset[str]
    #: the portal's base URL, when the run has one (a page elsewhere is not the portal's)
    base: str | None = None

    @classmethod
    def of(cls, pages: Iterable[Mapping[str, PageSpec]], base: str | None) -> SignInPages:
        paths: dict[str, str] = {}
        keys: set[str] = set()
        for version_pages in pages:
            for key, spec in version_pages.items():
                keys.add(key)
                if spec.public:
                    paths[key] = urlsplit(spec.path).path  # without a query it loads with
        return cls(paths, frozenset(keys), base.rstrip("/") if base else None)

    def shown(self, url: str) -> frozenset[str]:
        """The public pages ``url`` is (by path; on the portal's host when known)."""
        if not self.paths:
            return frozenset()
        parts = urlsplit(url)
        prefix = ""
        if self.base is not None:
            base = urlsplit(self.base)
            if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
                return frozenset()
            prefix = base.path.rstrip("/")
        path = _path(parts.path)
        return frozenset(k for k, p in self.paths.items() if _path(prefix + p) == path)

    def public(self, name: str) -> bool:
        """Whether ``name`` is an element of a public page (found there signed out)."""
        return _page_key(self.keys, name) in self.paths

    def referred(self, names: Iterable[str]) -> frozenset[str]:
        """The public pages some of ``names`` belong to."""
        found = (_page_key(self.keys, n) for n in names)
        return frozenset(k for k in found if k is not None and k in self.paths)


@dataclass
class SignInWatch:
    """One run's view of the sign-in pages: which the run asked for, and the guards of
    the steps now waiting (innermost last), told of every navigation of the page."""

    pages: SignInPages
    page: Page
    #: the public pages the run's last ``goto`` opened itself
    asked: frozenset[str] = frozenset()
    _guards: list[StepGuard] = field(default_factory=list)
    #: flow name → the public pages its names are on (a login flow expects its page)
    _expected: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, run: RunContext) -> SignInWatch | None:
        """The run's watch (made on first use); None when the portal's maps declare no
        public page (nothing to tell a signed-out page by) or cannot be read."""
        extras = run.state.extras
        if _WATCH not in extras:
            try:
                maps = run.engine.selector_maps(run.state.portal)
            except PortwrightError:  # the run fails on its map where it needs one
                maps = {}
            pages = SignInPages.of((m.pages for m in maps.values()), run.state.portal_url)
            extras[_WATCH] = cls(pages, run.page) if pages.paths else None
        watch: SignInWatch | None = extras[_WATCH]
        return watch

    def expected(self, flow: Flow) -> frozenset[str]:
        found = self._expected.get(flow.flow)
        if found is None:
            found = self._expected[flow.flow] = self.pages.referred(flow.selector_names())
        return found

    def unasked(self, url: str, flow: Flow) -> frozenset[str]:
        """The public pages ``url`` shows when neither the run nor ``flow`` asked for
        one of them (empty otherwise)."""
        shown = self.pages.shown(url)
        if not shown or shown & (self.asked | self.expected(flow)):
            return frozenset()
        return shown

    def guard(self, run: RunContext, step: StepBase) -> StepGuard | None:
        """The guard of one attempt of ``step``; None in a flow that works on a public
        page of its own (a login flow: the sign-in page is where it expects to be)."""
        if self.expected(run.flow):
            return None
        return StepGuard(self, run, step)

    def after_goto(self, run: RunContext, step: GotoStep) -> None:
        """Note which public pages the ``goto`` that just ran asked for (not those the
        portal redirected it to). Rendered again only when it ended on one (rare)."""
        if not self.pages.shown(run.page.url):
            self.asked = frozenset()
            return
        try:
            url = run.state.templates.render_text(step.url, run.scope)
        except PortwrightError:
            url = ""
        self.asked = self.pages.shown(url)

    # -- the waiting steps ----------------------------------------------------------------
    def enter(self, guard: StepGuard) -> None:
        if not self._guards:
            self.page.on("framenavigated", self._navigated)
        self._guards.append(guard)

    def leave(self, guard: StepGuard) -> None:
        with contextlib.suppress(ValueError):
            self._guards.remove(guard)
        if not self._guards:
            self.page.remove_listener("framenavigated", self._navigated)

    def _navigated(self, frame: Frame) -> None:
        if frame.parent_frame is None and self._guards:
            self._guards[-1].navigated(frame.url)


class StepGuard:
    """One attempt of one step: refuses names its page cannot show, and stops the step
    when the page goes to the sign-in page while it waits for one."""

    def __init__(self, watch: SignInWatch, run: RunContext, step: StepBase) -> None:
        self.watch = watch
        self.run = run
        self.step = step
        #: the non-public name the step looked up last (what it waits for)
        self.waiting_for: str | None = None
        self._looked_up = False
        self._stopped: asyncio.Future[SessionExpired] | None = None

    def looked_up(self, resolver: Resolver, name: str) -> None:
        """Called by the resolver for each name the step looks up."""
        acted = self._looked_up
        self._looked_up = True
        if self.watch.pages.public(name):
            return
        url = resolver.page.url
        shown = self.watch.unasked(url, self.run.flow)
        if shown:
            raise self.error(name, url, acted=acted)
        self.waiting_for = name

    def navigated(self, url: str) -> None:
        stopped = self._stopped
        if self.waiting_for is None or stopped is None or stopped.done():
            return
        if self.watch.unasked(url, self.run.flow):
            stopped.set_result(self.error(self.waiting_for, url, acted=True))

    def _signed_out_now(self) -> SessionExpired | None:
        """The error, when the step waited for a name of another page and the page now
        shows an unasked sign-in page."""
        url = self.run.page.url
        if self.waiting_for is None or not self.watch.unasked(url, self.run.flow):
            return None
        return self.error(self.waiting_for, url, acted=True)

    def error(self, name: str, url: str, *, acted: bool) -> SessionExpired:
        """``acted``: the step may have done something before (false: it acted on nothing,
        so a step that writes can be repeated after a new sign-in)."""
        return signed_out(self.run, self.step, name, url, acted=acted)

    async def race(self, action: asyncio.Future[None]) -> None:
        """Await ``action``; stop it as soon as the page goes to an unasked sign-in page
        while it waits for a name of another page, and raise that ``SessionExpired``."""
        stopped: asyncio.Future[SessionExpired] = asyncio.get_running_loop().create_future()
        self._stopped = stopped
        either: list[asyncio.Future[Any]] = [action, stopped]
        self.watch.enter(self)
        try:
            await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            action.cancel()
            raise
        finally:
            self.watch.leave(self)
            self._stopped = None
        if not stopped.done() or (action.done() and not action.cancelled()
                                  and action.exception() is None):
            try:
                return action.result()
            except (PlaywrightError, SelectorNotFound) as exc:
                # failed as the page went there, the event not yet seen: the same cause
                late = self._signed_out_now()
                if late is None:
                    raise
                raise late from exc
        action.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await action
        raise stopped.result()


def signed_out(run: RunContext, step: StepBase, name: str, url: str, *,
               acted: bool) -> SessionExpired:
    """The error of ``step`` meeting the sign-in page at ``url`` where ``name`` (of a
    non-public page) was expected: on the page, or in a document the run fetched."""
    flow, title = run.flow.flow, step.title
    return SessionExpired(
        f"{flow} step {title}: the portal showed its sign-in page ({shown_url(url)}) "
        f"where '{name}' was expected: the session ended during the run",
        hint=HINT, flow=flow, step=title, name=name, url=shown_url(url), acted=acted)


def fetched_sign_in_page(run: RunContext, step: StepBase, names: Iterable[str],
                         url: str) -> SessionExpired | None:
    """The error when a document the run fetched itself (a ``request``, its final URL
    ``url``) is a public page neither the run nor its flow asked for, and ``step`` reads
    ``names`` of another page in it: the portal answered the fetch with its sign-in page
    because the session ended. None otherwise (a login flow reading its own page)."""
    watch = SignInWatch.of(run)
    if watch is None or not watch.unasked(url, run.flow):
        return None
    wanted = next((n for n in names if not watch.pages.public(n)), None)
    if wanted is None:
        return None
    return signed_out(run, step, wanted, url, acted=False)


def acted_on_nothing(error: PortwrightError) -> bool:
    """Whether ``error`` is a sign-in page met when the step looked up its first name:
    the step did nothing on the portal (a write it was to make can be made again)."""
    return isinstance(error, SessionExpired) and error.acted is False
