"""The engine: one browser per process, one context per session, flows run on them.

``Engine.run`` looks a flow up by name, opens (or reuses) the session's context, runs the
steps and returns a :class:`RunResult`. A failing step leaves a screenshot, the Playwright
trace and the step log in the artifacts folder, and the error names those paths.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets as pysecrets
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from jinja2 import TemplateError
from playwright.async_api import Browser, BrowserContext

from portwright.adapter import Adapter, load_adapter
from portwright.auth.mfa.clock import Clock, SystemClock
from portwright.exceptions import (
    CredentialError,
    LoginFailed,
    PortwrightError,
    SelectorMapError,
    StepError,
)
from portwright.flow.model import Flow
from portwright.flow.repository import shared_repository
from portwright.runner import browser_pool
from portwright.runner.artifacts import ArtifactFolder
from portwright.runner.context import RunContext, RunState
from portwright.runner.engine_closing import Closing
from portwright.runner.failure_artifacts import write_failure_artifacts
from portwright.runner.inputs import coerce_inputs
from portwright.runner.nested_calls import MAX_CALL_DEPTH, called_flow, too_deep
from portwright.runner.portal_url import checked_portal_url
from portwright.runner.recovery import StepRecovery
from portwright.runner.result import (
    PartialResult,
    ResolutionRecord,
    RunResult,
    StepRecord,
    attach_partial,
)
from portwright.runner.session import ContextFactory, Session, SessionKey
from portwright.runner.sign_in_refusal import refuse_if_refused, remember_refusal
from portwright.runner.trace_keeping import (
    RECORDING,
    TraceMode,
    discard,
    keep_trace_parts,
    scrub_kept,
    trace_fields_needed,
)
from portwright.selector_map.loader import (
    ResolvedMap,
    load_portal_maps,
    pinned_map,
    portal_maps,
)
from portwright.selector_map.memory import ResolutionMemory
from portwright.settings import Settings, load_settings
from portwright.templating import EnvSecretResolver, SecretResolver, shared_templates

__all__ = ["Engine", "TraceMode"]



class Engine:
    """Runs flows. Use as ``async with Engine(settings=...) as engine`` (or call
    :meth:`close`). Unless a browser is passed in, engines of one process share one
    browser (launched on first use, closed with the last engine).

    * ``secrets``: where ``{{ secrets.<portal>.<name> }}`` comes from (default:
      ``PORTWRIGHT_SECRET_<PORTAL>_<NAME>`` environment variables);
    * ``portal_urls``: portal → base URL (``portal.base_url`` in flows);
    * ``selector_versions``: portal → pinned map version (skips detection; a version
      the portal has no map of is refused before a run opens the browser);
    * ``context_factory``: builds a new session's context (saved sessions, HAR, ...);
    * ``trace``: see :data:`TraceMode`; the default ``on-failure`` costs nothing while
      runs succeed (continuous recording costs ~15% of a run's time);
    * ``trace_snapshots``: include DOM snapshots in continuously recorded traces (another
      ~40%); the one-shot failure trace always has its snapshot;
    * ``clock``: what second factors wait with (a fresh TOTP window, polling a mailbox);
      a test passes one whose ``sleep`` advances its own time.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        secrets: SecretResolver | None = None,
        browser: Browser | None = None,
        headless: bool | None = None,
        trace: TraceMode = "on-failure",
        portal_urls: Mapping[str, str] | None = None,
        selector_versions: Mapping[str, str] | None = None,
        context_factory: ContextFactory | None = None,
        trace_snapshots: bool = False,
        clock: Clock | None = None,
    ) -> None:
        self.settings = settings or load_settings()
        self.secrets: SecretResolver = secrets or EnvSecretResolver()
        self.flows = shared_repository(self.settings.path("flows"))
        self.templates = shared_templates()
        self.trace: TraceMode = trace
        self.trace_snapshots = trace_snapshots
        self.portal_urls = dict(portal_urls or {})
        self.selector_versions = dict(selector_versions or {})
        self.context_factory = context_factory
        self.clock: Clock = clock or SystemClock()
        #: asked what to do when a step fails (e.g. re-login on session expiry)
        self.recovery: StepRecovery | None = None
        self.headless = self.settings.headless if headless is None else headless
        self._browser = browser
        self._owns_browser = browser is None
        self._sessions: dict[SessionKey, Session] = {}
        #: one lock per key while its session is made: two runs asking at once for a new
        #: session must share one context, not each make one and lose the first
        self._session_locks: dict[SessionKey, asyncio.Lock] = {}
        self._start_lock = asyncio.Lock()
        self._adapters: dict[str, Adapter] = {}
        #: closed engines refuse runs rather than launch a browser nobody closes
        self._closing = Closing()

    # -- lifecycle ---------------------------------------------------------------------
    async def __aenter__(self) -> Engine:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def start(self) -> Browser:
        """The browser: the one given, or the process's shared one (launched once).
        Opens a closed engine again (``async with engine`` after :meth:`close`)."""
        self._closing.open()
        return await self._open_browser(self._closing.generation)

    async def _open_browser(self, generation: int) -> Browser:
        """The browser for a run begun while the engine had been closed ``generation``
        times: refused once it has been closed since (a browser launched then would be
        left running, since the close that should release it has already happened)."""
        async with self._start_lock:
            self._closing.refuse(generation)
            if self._browser is None:
                browser = await browser_pool.acquire(self.headless, self.settings.browser)
                if self._closing.cut_off(generation):   # closed while it launched
                    await browser_pool.release(browser)
                    self._closing.refuse(generation)
                self._browser = browser
            return self._browser

    async def close(self) -> None:
        """Close every session; release the shared browser (closed by its last user).

        Runs still in flight fail with a ``PortwrightError`` saying the engine was
        closed (their pages are gone); later runs are refused until :meth:`start`."""
        self._closing.close()
        for session in list(self._sessions.values()):
            await session.close()
        self._sessions.clear()
        if self._owns_browser and self._browser is not None:
            browser, self._browser = self._browser, None
            await browser_pool.release(browser)

    # -- sessions ----------------------------------------------------------------------
    async def session(self, portal: str, account: str | None = None) -> Session:
        """The session for (portal, account), created on first use and then reused."""
        generation = self._closing.generation
        self._closing.refuse(generation)
        key = SessionKey(portal, account or "default")
        found = self._sessions.get(key)
        if found is not None:
            return found
        async with self._session_locks.setdefault(key, asyncio.Lock()):
            found = self._sessions.get(key)
            if found is None:
                made = await self._new_session(key, generation)
                if self._closing.cut_off(generation):   # closed while the context was made
                    await made.close()
                    self._closing.refuse(generation)
                found = self._sessions[key] = made
            return found

    async def _new_session(self, key: SessionKey, generation: int) -> Session:
        """A fresh context and page for ``key``, traced when the engine traces. A context
        whose setup fails or is cancelled (a request handler's timeout) is closed: no one
        else holds it, so it would stay open, with its renderer, as long as the browser."""
        browser = await self._open_browser(generation)
        if self.context_factory is not None:
            context = await self.context_factory(browser, key)
        else:
            context = await browser.new_context()
        try:
            return await self._set_up_session(key, context)
        except BaseException:
            with contextlib.suppress(Exception):
                await context.close()
            raise

    async def _set_up_session(self, key: SessionKey, context: BrowserContext) -> Session:
        """Make ``context`` a session: its timeout, its page, tracing when the engine traces."""
        context.set_default_timeout(self.settings.step_timeout_ms)
        tracing = self.trace in RECORDING
        if tracing:
            await context.tracing.start(snapshots=self.trace_snapshots, screenshots=False,
                                        sources=False)
        page = context.pages[0] if context.pages else await context.new_page()
        session = Session(key, context, page, tracing=tracing, chunk_active=tracing,
                          memory=ResolutionMemory(self.settings.resolution_reuse_s))
        session.watch_page()
        return session

    async def drop_session(self, portal: str, account: str | None = None) -> None:
        """Close a session's context (the next run starts a fresh one)."""
        session = self._sessions.pop(SessionKey(portal, account or "default"), None)
        if session is not None:
            await session.close()

    # -- workspace ---------------------------------------------------------------------
    def selector_maps(self, portal: str) -> dict[str, ResolvedMap]:
        """Every map version of ``portal`` (cached until a file changes)."""
        return load_portal_maps(self.settings.path("selectors") / portal)

    def check_pin(self, portal: str, version: str | None = None) -> str | None:
        """The selector-map version a run of ``portal`` is pinned to (``version``, else
        the engine's ``selector_versions``), refused with a ``SelectorMapError`` naming the
        versions there are when the portal has no map of it.

        Called before any browsing: a run picks its map only at its first logical name,
        so a wrong pin was otherwise ignored by a flow without one, or noticed only after
        earlier steps (writes included) had run. Same check and wording as ``portwright
        run --selectors-version``."""
        pinned = version or self.selector_versions.get(portal)
        if pinned is not None:
            selectors = self.settings.path("selectors")
            pinned_map(portal_maps(selectors, portal), pinned, selectors / portal)
        return pinned

    def adapter(self, portal: str) -> Adapter:
        found = self._adapters.get(portal)
        if found is None:
            found = self._adapters[portal] = load_adapter(portal)
        return found

    def flow(self, name: str) -> Flow:
        return self.flows.get(name)

    def stored_base_url(self, portal: str, account: str | None = None) -> str | None:
        """The ``base_url`` kept with the portal's secrets (``portwright secrets set
        <portal> base_url``), the last place a run's portal URL may come from."""
        try:
            return self.secrets.resolve(portal, "base_url", account=account)
        except CredentialError:
            return None

    # -- running -----------------------------------------------------------------------
    async def run(
        self,
        flow: str | Flow,
        inputs: Mapping[str, Any] | None = None,
        *,
        portal_url: str | None = None,
        account: str | None = None,
        selector_version: str | None = None,
        trace: TraceMode | None = None,
    ) -> RunResult:
        """Run ``flow`` (a name like ``valant.patients.list``, or a parsed Flow).

        A pinned map version the portal lacks is refused before any browsing
        (:meth:`check_pin`). A failing run's error carries what the run had found
        (:func:`~portwright.runner.result.partial_result`): its own, never another run's.
        """
        flow_obj = self.flows.get(flow) if isinstance(flow, str) else flow
        values = coerce_inputs(flow_obj, inputs)
        portal = flow_obj.portal
        url = checked_portal_url(portal_url or self.portal_urls.get(portal)
                                 or self.stored_base_url(portal, account), portal)
        pinned = self.check_pin(portal, selector_version)
        generation = self._closing.generation
        self._closing.refuse(generation, flow_obj.flow)
        try:
            return await self._run(flow_obj, values, url, account, pinned, trace, generation)
        except Exception as exc:
            # a run cut off by close() fails with Playwright's "target closed" (raw, or
            # inside a StepError): say what happened instead
            closed = self._closing.error(generation, flow_obj.flow)
            if closed is not None and str(closed) != str(exc):
                raise closed from exc
            raise

    async def _run(self, flow_obj: Flow, values: dict[str, Any], url: str | None,
                   account: str | None, pinned: str | None, trace: TraceMode | None,
                   generation: int) -> RunResult:
        """:meth:`run` once its inputs, URL and pin were checked."""
        portal = flow_obj.portal
        trace_mode = trace or self.trace
        fields = trace_fields_needed(self.settings, self.trace, portal, trace_mode)
        session = await self.session(portal, account)
        async with session.lock:
            self._closing.refuse(generation, flow_obj.flow)   # closed while it waited
            refuse_if_refused(session, self.secrets, account)
            await session.recycle_page_if_due(self.settings.page_recycle_runs)
            state = RunState(
                engine=self, session=session, run_id=pysecrets.token_hex(4), portal=portal,
                portal_url=url, account=account,
                pinned_version=pinned,
                artifacts=ArtifactFolder(self.settings.path("artifacts"), flow_obj.flow, ""),
                templates=self.templates, redactor=session.redactor,
            )
            state.artifacts = ArtifactFolder(self.settings.path("artifacts"), flow_obj.flow,
                                             state.run_id)
            state.extras["trace_fields"] = fields
            for name, spec in flow_obj.inputs.items():
                if spec.secret and isinstance(values.get(name), str):
                    state.redactor.add(values[name])
            if trace_mode in RECORDING and not session.tracing:
                await session.context.tracing.start(snapshots=self.trace_snapshots,
                                                    screenshots=False, sources=False)
                session.tracing = session.chunk_active = True
            elif session.tracing and not session.chunk_active:
                await session.context.tracing.start_chunk(title=flow_obj.flow)
                session.chunk_active = True
            started_at = datetime.now(UTC)
            started = time.perf_counter()
            ctx = RunContext(state, flow_obj, values)
            try:
                await ctx.run_steps(flow_obj.steps)
                if state.resolver is not None:
                    await state.resolver.finish()
                outputs = self._outputs(ctx)
            except PortwrightError as exc:
                if state.resolver is not None:
                    await state.resolver.finish()
                attach_partial(exc, self._partial(ctx, exc))
                if isinstance(exc, LoginFailed):
                    remember_refusal(session, self.secrets, account)
                if not self._closing.cut_off(generation):   # else no page to capture
                    await write_failure_artifacts(
                        state, exc, one_shot_trace=trace_mode == "on-failure",
                        privacy=self.settings.artifact_privacy)
                raise
            except BaseException:
                keep_trace_parts(state, keep=False)   # no unscrubbed part left
                raise
            finally:
                state.extras.pop("notes", None)
                ctx.drop_version_check()
            try:
                if session.tracing and session.chunk_active:
                    if trace_mode == "on":
                        kept = state.artifacts.file("trace.zip")
                        try:
                            await session.context.tracing.stop_chunk(path=kept)
                            scrub_kept(state, kept)
                        except BaseException:
                            discard(state, kept)
                            raise
                    else:
                        await session.context.tracing.stop_chunk()
                    session.chunk_active = False
            finally:
                problems = keep_trace_parts(state, keep=trace_mode == "on")
            if problems:
                raise problems[0]
            return self._result(ctx, outputs, started_at, started)

    async def run_subflow(self, parent: RunContext, name: str, inputs: Mapping[str, Any]
                          ) -> dict[str, Any]:
        """Run flow ``name`` inside ``parent``'s run (same session, logs and redactor)."""
        depth = parent.state.extras.get("depth", 0)
        if depth >= MAX_CALL_DEPTH:
            raise too_deep(parent, name)
        flow = called_flow(self.flows, parent, name)
        ctx = RunContext(parent.state, flow, coerce_inputs(flow, inputs))
        parent.state.extras["depth"] = depth + 1
        try:
            await ctx.run_steps(flow.steps)
        finally:
            parent.state.extras["depth"] = depth
        return self._outputs(ctx)

    # -- helpers -----------------------------------------------------------------------
    def _outputs(self, ctx: RunContext) -> dict[str, Any]:
        out: dict[str, Any] = dict(ctx.outputs)
        for name, spec in ctx.flow.outputs.items():
            if spec.value is not None:
                try:
                    out[name] = ctx.evaluate(spec.value)
                except TemplateError as exc:
                    raise StepError(f"output '{name}' could not be computed: {exc}",
                                    flow=ctx.flow.flow, step=f"outputs.{name}") from None
            elif name in out:
                continue
            elif name in ctx.vars:
                out[name] = ctx.vars[name]
            elif spec.entity is not None:
                out[name] = []
            else:
                raise StepError(f"output '{name}' was never produced", flow=ctx.flow.flow,
                                hint="set it with 'set', 'extract ... into', or 'emit ... to'")
        return out

    def _result(self, ctx: RunContext, outputs: dict[str, Any], started_at: datetime,
                started: float) -> RunResult:
        state = ctx.state
        return RunResult(
            flow=ctx.flow.flow,
            flow_version=ctx.flow.version,
            portal=state.portal,
            portal_version=state.detection.version if state.detection
            else state.pinned_version,
            # checked up front (``check_pin``): a pin is honoured even by a flow that
            # resolves no name, whose run then never reads a map
            version_pinned=state.pinned_version is not None,
            selector_map_version=state.smap.version if state.smap else None,
            selector_map_chain=list(state.smap.chain) if state.smap else [],
            outputs=outputs,
            steps=[StepRecord.model_validate(s) for s in state.steps],
            resolutions=[ResolutionRecord.model_validate(r.as_dict())
                         for r in state.resolutions],
            artifacts=list(state.artifacts.files),
            started_at=started_at,
            ms=round((time.perf_counter() - started) * 1000, 3),
        )

    def _partial(self, ctx: RunContext, error: PortwrightError) -> PartialResult:
        """What a failing run had found: the steps so far, every resolution (fallbacks
        included), the map in use and the UI version, unless the failure is that no map
        matches the page (the version it had assumed was never confirmed)."""
        state = ctx.state
        detection = state.detection
        confirmed = detection is not None and (
            detection.pinned or not isinstance(error, SelectorMapError))
        return PartialResult(
            flow=ctx.flow.flow,
            portal=state.portal,
            portal_version=detection.version if confirmed and detection else None,
            version_pinned=state.pinned_version is not None,
            selector_map_version=state.smap.version if state.smap else None,
            selector_map_chain=list(state.smap.chain) if state.smap else [],
            steps=[StepRecord.model_validate(s) for s in state.steps
                   if s.get("status") != "running"],
            resolutions=[ResolutionRecord.model_validate(r.as_dict())
                         for r in state.resolutions],
        )
