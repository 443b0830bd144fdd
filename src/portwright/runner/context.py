"""What a step handler gets: the page, templating, the resolver, variables and errors.

``RunState`` is shared by a run and the subflows it calls (one resolution log, one step
log, one redactor); ``RunContext`` is one flow invocation's view (its inputs and vars).
Handlers are ``async def handle(step, run: RunContext) -> None``.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from playwright.async_api import BrowserContext, Locator, Page

from portwright.exceptions import PortwrightError, StepError
from portwright.flow.model import Flow
from portwright.flow.steps.base import StepBase
from portwright.runner.artifacts import ArtifactFolder
from portwright.runner.portal_url import PortalInfo
from portwright.runner.session import Session
from portwright.runner.version_check import MapChanged, PendingCheck, detect_settled
from portwright.selector_map.detect import Detection
from portwright.selector_map.loader import ResolvedMap, pinned_map
from portwright.selector_map.resolver import Resolution, Resolver
from portwright.shown_url import cuts_query, inputs_as_placeholders, shown_url
from portwright.templating import Redactor, SecretsNamespace, Templates

if TYPE_CHECKING:
    from portwright.runner.engine import Engine

__all__ = ["RunContext", "RunState"]


@dataclass
class RunState:
    """Everything shared by one top-level run and its subflows."""

    engine: Engine
    session: Session
    run_id: str
    portal: str
    portal_url: str | None
    account: str | None
    pinned_version: str | None
    artifacts: ArtifactFolder
    templates: Templates
    redactor: Redactor = field(default_factory=Redactor)
    resolutions: list[Resolution] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)
    detection: Detection | None = None
    smap: ResolvedMap | None = None
    resolver: Resolver | None = None
    #: a detection confirming the session's version while the first action runs
    check: PendingCheck | None = None
    #: how deeply the running step is nested (1 = a step of the top-level flow)
    step_depth: int = 0
    #: the running steps' actions, innermost last
    actions: list[asyncio.Future[None]] = field(default_factory=list)
    trace_parts: list[Any] = field(default_factory=list)
    trace_paused_at: str | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    #: each text a template rendered to in this run: the template (see ``unrendered``)
    renderings: dict[str, str] = field(default_factory=dict)


#: a rendering shorter than this is not looked for in error text: "10" or "ok" would be
#: found inside Playwright's own words and numbers
_SHORTEST_RENDERING = 3
#: what the browser leaves as it is when it writes a URL it opened (the rest is encoded)
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"
_URL = re.compile(r"https?://")
#: the portal's own values in a template: shown as they are in an error
_PORTAL_VALUE = re.compile(r"\{\{\s*portal\.(?:base_url|url|name)\s*\}\}")


class RunContext:
    """One flow invocation: its inputs, variables and outputs, on the run's session."""

    def __init__(self, state: RunState, flow: Flow, inputs: Mapping[str, Any]) -> None:
        self.state = state
        self.flow = flow
        self.inputs = dict(inputs)
        self.vars: dict[str, Any] = {}
        self.outputs: dict[str, Any] = {}
        self.portal_info = PortalInfo(state.portal, state.portal_url, state.account)
        #: whether this flow's steps are running (its inputs shown by placeholder)
        self._showing_inputs = False
        self.scope: dict[str, Any] = {
            "inputs": self.inputs,
            "vars": self.vars,
            "portal": self.portal_info,
            "secrets": SecretsNamespace(
                state.engine.secrets, state.redactor, account=state.account
            ),
            "flow": {"name": flow.flow, "version": flow.version},
        }

    # -- the browser -------------------------------------------------------------------
    @property
    def page(self) -> Page:
        return self.state.session.page

    @property
    def context(self) -> BrowserContext:
        return self.state.session.context

    @property
    def engine(self) -> Engine:
        return self.state.engine

    def timeout(self, step: StepBase) -> float:
        """Milliseconds a step may take (its own ``timeout_ms`` or the run's default)."""
        return float(step.timeout_ms or self.state.engine.settings.step_timeout_ms)

    # -- selector maps -----------------------------------------------------------------
    async def resolver(self) -> Resolver:
        """The resolver for the map of the UI version on the page (chosen once per run).

        Pinned: that version. Otherwise the page is detected; on a session that already
        confirmed a version (and in a flow that does not write), the detection runs
        alongside the first action instead of before it (see ``version_check``).
        """
        state = self.state
        if state.resolver is None:
            maps = state.engine.selector_maps(state.portal)
            known = state.session.detection
            if state.pinned_version is not None:
                pinned_map(maps, state.pinned_version,
                           state.engine.settings.path("selectors") / state.portal)
                state.detection = Detection(state.pinned_version, {}, pinned=True)
            elif known is not None and known.version in maps and not self.flow.mutates:
                state.detection = known
                state.check = PendingCheck.start(
                    self.page, maps.values(), known.version, state.step_depth,
                    state.actions[-1] if state.actions else None)
            else:
                state.detection = await detect_settled(self.page, maps.values())
                state.session.detection = state.detection
            self._use_map(maps[state.detection.version])
        assert state.resolver is not None
        return state.resolver

    def _use_map(self, smap: ResolvedMap) -> None:
        state = self.state
        state.smap = smap
        state.resolver = Resolver(self.page, smap, state.resolutions,
                                  float(state.engine.settings.step_timeout_ms),
                                  memory=state.session.memory)

    async def confirm_version(self, *, enclosing: bool) -> None:
        """Collect a pending version check: the one this step's action started, or
        (``enclosing``) one an enclosing step started, before this step acts. Raises
        ``MapChanged`` when the page is another version (after switching to its map)."""
        state = self.state
        check = state.check
        if check is None:
            return
        if enclosing != (check.depth < state.step_depth):
            return
        try:
            found = await check.result()
        except asyncio.CancelledError:
            raise  # the step that started the check collects it (``execute._act``)
        except BaseException:
            state.check = None
            raise
        state.check = None
        state.session.detection = found
        state.detection = found
        if found.version == check.assumed:
            return
        old = state.resolver
        self._use_map(state.engine.selector_maps(state.portal)[found.version])
        if old is not None:
            await old.finish()
        raise MapChanged(found, check.assumed,
                         check.depth if enclosing else state.step_depth)

    def drop_version_check(self) -> None:
        """Forget an unfinished check (the run failed for another reason)."""
        if self.state.check is not None:
            self.state.check.cancel()
            self.state.check = None

    async def one(self, name: str, step: StepBase | None = None, *,
                  navigates: bool = True) -> Locator:
        """The element of ``name``; ``navigates=False`` for actions that cannot take the
        page away (typing, reading, asserting), see ``Resolver.one``."""
        resolver = await self.resolver()
        return await resolver.one(name, timeout_ms=self.timeout(step) if step else None,
                                  navigates=navigates)

    async def all(self, name: str) -> Locator:
        return await (await self.resolver()).all(name)

    # -- templating --------------------------------------------------------------------
    def render(self, value: Any) -> Any:
        rendered = self.state.templates.render(value, self.scope)
        if isinstance(value, str) and isinstance(rendered, str):
            self._rendered(value, rendered)
        return rendered

    def text(self, value: Any) -> str:
        rendered = self.state.templates.render_text(value, self.scope)
        if isinstance(value, str):
            self._rendered(value, rendered)
        return rendered

    def _rendered(self, source: str, rendered: str) -> None:
        """Remember ``rendered`` as ``source`` with the portal's own values filled in
        (where the portal is, unlike what was asked of it, is no one's PHI)."""
        if rendered == source or len(rendered.strip()) < _SHORTEST_RENDERING:
            return
        shown = _PORTAL_VALUE.sub(self._portal_value, source)
        if shown != rendered:
            self.state.renderings[rendered] = shown
            if _URL.match(rendered) and shown_url(rendered) != rendered:
                # as an error names a page it is on: without the query (``?…``)
                self.state.renderings[shown_url(rendered)] = _shown_source(shown, rendered)

    def _portal_value(self, found: re.Match[str]) -> str:
        try:
            return self.state.templates.render_text(found.group(0), self.scope)
        except PortwrightError:  # no portal URL: the template did not need it here
            return found.group(0)

    def unrendered(self, text: str) -> str:
        """``text`` (the browser's error) with each value this run rendered from a
        template shown as that template, as the step log shows it (see ``shown``).

        Playwright's error quotes what the step gave it: the URL a ``goto`` opened, a
        pattern waited for, the text typed. Rendered from the run's inputs or from page
        data, those carry PHI in places no structural cleaning can tell from the portal's
        own words (``/patients/MRN-4471902/chart``). Secrets rendered so are shown as
        their template too. A rendering is replaced where it stands as a whole token,
        raw or URL-encoded (as the browser writes a URL it opened)."""
        for rendered in sorted(self.state.renderings, key=len, reverse=True):
            as_written = _shown_source(self.state.renderings[rendered], rendered)
            as_written = as_written.replace("\\", "\\\\")
            for form in dict.fromkeys((rendered, quote(rendered, safe=_URL_SAFE))):
                text = re.sub(_whole(form), as_written, text)
        return text

    def evaluate(self, expression: str) -> Any:
        return self.state.templates.evaluate(expression, self.scope)

    def shown(self, value: Any) -> Any:
        """What a step log may show for a value: the flow's own text, never its rendering.

        A rendering carries whatever the template read: secrets, and just as surely the
        run's inputs and page data, which in a health record are PHI (a patient's name
        filled into a search box, an MRN in a URL). The source says which step did what
        as well, and a literal the flow author wrote is no one's PHI."""
        return value

    def uses_secrets(self, value: Any) -> bool:
        return isinstance(value, str) and self.state.templates.is_template(value) and \
            self.state.templates.uses_secrets(value)

    # -- variables ---------------------------------------------------------------------
    def set_var(self, name: str, value: Any) -> None:
        """Bind a variable; it is visible as ``name`` and ``vars.name`` in templates."""
        self.vars[name] = value
        self.scope[name] = value

    def unset_var(self, name: str) -> None:
        self.vars.pop(name, None)
        self.scope.pop(name, None)

    # -- errors and artifacts ----------------------------------------------------------
    def fail(self, step: StepBase, message: str, cls: type[StepError] = StepError,
             hint: str | None = None) -> StepError:
        """An error naming the flow and step (secrets scrubbed); raise what it returns."""
        return cls(self.redact(message), flow=self.flow.flow, step=step.title, hint=hint)

    def redact(self, text: str) -> str:
        return self.state.redactor.redact(text) if self.state.redactor else text

    def artifact(self, name: str) -> Any:
        """A path inside this run's artifacts folder (created on demand)."""
        return self.state.artifacts.file(name)

    def note(self, step: StepBase, **detail: Any) -> None:
        """Add details to the step's log entry (values pass through redaction)."""
        self._notes.setdefault(id(step), {}).update(detail)

    @property
    def _notes(self) -> dict[int, dict[str, Any]]:
        notes: dict[int, dict[str, Any]] = self.state.extras.setdefault("notes", {})
        return notes

    # -- running -----------------------------------------------------------------------
    async def run_steps(self, steps: Sequence[StepBase]) -> None:
        from portwright.runner.execute import run_steps

        if self._showing_inputs:  # a block of this flow (if, for_each): already set up
            await run_steps(steps, self)
            return
        # a URL an error shows names this flow's input values by placeholder (shown_url)
        self._showing_inputs = True
        try:
            with inputs_as_placeholders(self.inputs):
                await run_steps(steps, self)
        finally:
            self._showing_inputs = False

    async def call(self, name: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
        """Run another flow in this session; returns its outputs."""
        return await self.state.engine.run_subflow(self, name, inputs)


def _shown_source(source: str, rendered: str) -> str:
    """The template of a rendered URL without its query, as the URL is shown (see
    ``shown_url``): a literal query is what the flow searches for as surely as one
    rendered from the inputs."""
    if _URL.match(rendered) and cuts_query(rendered):
        return re.split(r"[?#]", source, maxsplit=1)[0] + "?…"
    return source


def _whole(value: str) -> str:
    """A regex finding ``value`` not run together with letters or digits at an end that
    is itself one (so "10" is not found in "10000ms", "/chart/7" is in "https://h/chart/7")."""
    before = r"(?<!\w)" if re.match(r"\w", value) else ""
    after = r"(?!\w)" if re.search(r"\w$", value) else ""
    return f"{before}{re.escape(value)}{after}"


def now_ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)


def reraise_with_context(exc: PortwrightError, flow: str, step: str) -> PortwrightError:
    """Attach flow/step to errors raised below a step (e.g. selector errors)."""
    if not hasattr(exc, "flow"):
        exc.flow = flow  # type: ignore[attr-defined]
    if not hasattr(exc, "step"):
        exc.step = step  # type: ignore[attr-defined]
    return exc
