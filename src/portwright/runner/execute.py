"""Running steps: dispatch to handlers, time them, retry by policy, turn failures into
errors that name the flow and step — with secrets scrubbed from every message.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jinja2 import TemplateError
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from portwright.auth.sign_in_page import SignInWatch, StepGuard
from portwright.exceptions import (
    AuthError,
    PortalError,
    PortwrightError,
    SelectorError,
    SelectorInvalid,
    SessionExpired,
    StepError,
    StepTimeout,
)
from portwright.flow.steps.base import StepBase
from portwright.flow.steps.goto import GotoStep
from portwright.runner.context import RunContext
from portwright.runner.foreign_causes import cut_foreign_causes
from portwright.runner.playwright_errors import describe_playwright_error, unreachable_hint
from portwright.runner.version_check import MapChanged
from portwright.selector_map.resolver import lookup_guard
from portwright.steps.registry import Handler, handler_for

__all__ = ["run_step", "run_steps"]


async def run_steps(steps: Sequence[StepBase], run: RunContext) -> None:
    for step in steps:
        await run_step(step, run)


def _convert(exc: BaseException, step: StepBase, run: RunContext) -> PortwrightError:
    if isinstance(exc, PortwrightError):
        if isinstance(exc, SelectorError) and exc.url:
            _unrender_url(exc, run)
        if not getattr(exc, "step", None):
            exc.step = step.title  # type: ignore[attr-defined]
        if not getattr(exc, "flow", None):
            exc.flow = run.flow.flow  # type: ignore[attr-defined]
        return exc
    if isinstance(exc, PlaywrightTimeout):
        return run.fail(step, f"timed out: {_described(exc, run)}", StepTimeout)
    if isinstance(exc, PlaywrightError):
        return run.fail(step, _described(exc, run), hint=unreachable_hint(str(exc)))
    if isinstance(exc, AssertionError) and "\nCall log:" in str(exc):
        # an ``expect`` a handler left uncaught: its text quotes the page as Playwright's
        # errors do (what it found, an aria snapshot)
        return run.fail(step, f"assertion failed: {_described(exc, run)}")
    if isinstance(exc, TemplateError):
        return run.fail(step, f"template error: {exc}",
                        hint="check the names used in this step's templates")
    return run.fail(step, f"{type(exc).__name__}: {exc}")


def _unrender_url(exc: SelectorError, run: RunContext) -> None:
    """The page a selector error names, its path as the flow wrote it: a page the flow
    opened at ``/patients/{{ inputs.mrn }}/chart`` is named so, not by the MRN."""
    assert exc.url is not None
    shown = run.unrendered(exc.url)
    if shown != exc.url:
        exc.message = exc.message.replace(f" on {exc.url};", f" on {shown};")
        exc.args = (exc.message,)
        exc.url = shown


def _described(exc: BaseException, run: RunContext) -> str:
    """The browser's error as a step error shows it: the values the step rendered shown
    as the flow wrote them, then without the page's text, headers or query strings."""
    return describe_playwright_error(run.unrendered(str(exc)))


def _retriable(err: PortwrightError) -> bool:
    """Errors a retry can help with (not definition, auth or portal-validation problems,
    nor a selector the browser cannot parse)."""
    return isinstance(err, StepError | SelectorError) and not err.flow_mistake \
        and not isinstance(err, AuthError | PortalError | SelectorInvalid)


async def _guard_trace(step: StepBase, run: RunContext) -> None:
    """Keep secrets out of traces: stop recording before a step that types one, and
    start again once the page has navigated away from where it was typed, to a document
    loaded by GET (a page produced by the POST that carried the secret would bring it
    along in trace snapshots), and its network has settled."""
    state = run.state
    session = state.session
    if not session.tracing:
        return
    chunk = session.chunk_active
    if step.touches_secrets and chunk:
        folder = state.extras.get("trace_tmp")
        if folder is None:
            folder = state.extras["trace_tmp"] = Path(tempfile.mkdtemp(prefix="pw-trace-"))
        part = folder / f"trace-part{len(state.trace_parts) + 1}.zip"
        await session.context.tracing.stop_chunk(path=part)
        state.trace_parts.append(part)
        session.chunk_active = False
        state.trace_paused_at = run.page.url
    elif not chunk and not step.touches_secrets and state.trace_paused_at is not None \
            and run.page.url != state.trace_paused_at and session.document_method == "GET":
        # The request that carried the secret (a form post, an XHR) may still be in
        # flight; a trace records requests when they finish, bodies included. Resume only
        # once the network has settled on the new page.
        with contextlib.suppress(PlaywrightError):
            await run.page.wait_for_load_state("networkidle", timeout=5_000)
        await session.context.tracing.start_chunk(title=run.flow.flow)
        session.chunk_active = True
        state.trace_paused_at = None


async def run_step(step: StepBase, run: RunContext) -> None:
    """Run one step under its retry policy, recording it in the step log."""
    handler = handler_for(step)
    state = run.state
    entry: dict[str, Any] = {
        "flow": run.flow.flow, "path": step.path, "action": step.action, "id": step.id,
        "status": "running", "ms": 0.0, "attempts": 0, "timeout_ms": run.timeout(step),
    }
    state.steps.append(entry)
    if state.session.tracing:
        await _guard_trace(step, run)
    started = time.perf_counter()
    attempts = 0
    reruns = 0  # attempts repeated because the page was another UI version
    recovered = False
    state.step_depth += 1
    try:
        while True:
            attempts += 1
            try:
                await run.confirm_version(enclosing=True)
                await _act(handler, step, run)
                if state.resolver is not None:
                    await state.resolver.settle(succeeded=True)
                await run.confirm_version(enclosing=False)
                break
            except MapChanged as changed:
                if changed.depth != state.step_depth:
                    raise  # an enclosing step acted on the old map: it starts again
                _rerun_allowed(changed, step, run, entry)
                reruns += 1
                continue
            except Exception as exc:
                selector_error = None
                if state.resolver is not None:
                    selector_error = await state.resolver.settle(
                        succeeded=False, timeout_ms=run.timeout(step), cause=exc)
                    if isinstance(exc, PortwrightError) and not isinstance(
                            selector_error, SelectorInvalid):
                        # the handler already said what went wrong (unless the map
                        # holds a selector the browser cannot parse: that comes first)
                        selector_error = None
                try:
                    if isinstance(exc, SessionExpired):
                        # the portal's sign-in page: no map version describes the page
                        # the step meant, so a check reading it now has no verdict
                        run.drop_version_check()
                    else:
                        await run.confirm_version(enclosing=False)
                except MapChanged as changed:
                    # the failure may be the old map's doing: try again with the right one
                    _rerun_allowed(changed, step, run, entry)
                    reruns += 1
                    continue
                except PortwrightError as version_error:  # no map matches the page
                    entry["status"] = "failed"
                    entry["error"] = run.redact(str(version_error))
                    raise
                err = _convert(selector_error or exc, step, run)
                if attempts - reruns <= step.retries and _retriable(err):
                    entry.setdefault("errors", []).append(run.redact(str(err)))
                    continue
                recovery = run.engine.recovery
                decision = None
                if recovery is not None and not recovered:
                    recovered = True
                    entry["status"] = "failed"  # stays so if the recovery itself fails
                    decision = await recovery.recover(step, run, err)
                if decision is not None:
                    entry.setdefault("errors", []).append(run.redact(str(err)))
                    run.note(step, recovered=decision)
                    if decision == "skip":
                        break
                    continue
                entry["status"] = "failed"
                entry["error"] = run.redact(str(err))
                # the browser's own exception quotes the page: a traceback must not
                cut_foreign_causes(err)
                if err is exc:
                    raise
                raise err from None
        entry["status"] = "ok"
    finally:
        state.step_depth -= 1
        if entry["status"] == "running":
            state.steps.remove(entry)  # never ran to an end: an enclosing step reruns
        entry["ms"] = round((time.perf_counter() - started) * 1000, 3)
        entry["attempts"] = attempts
        notes = state.extras.get("notes", {}).pop(id(step), None)
        if notes:
            entry["detail"] = {k: run.redact(v) if isinstance(v, str) else v
                               for k, v in notes.items()}


async def _act(handler: Handler, step: StepBase, run: RunContext) -> None:
    """The step's handler, as a task a version check can stop (see ``version_check``) or
    the portal's sign-in page can (see ``auth.sign_in_page``).

    Only a step that may choose the run's map (none chosen yet) can start a check; only
    a portal whose map declares public pages has a sign-in page to watch for (and not
    in its login flows). A step that needs neither is awaited as it is."""
    state = run.state
    watch = SignInWatch.of(run)
    guard = watch.guard(run, step) if watch is not None else None
    token = lookup_guard.set(guard)  # None too: an enclosing step's guard is not this one's
    try:
        checks = state.resolver is None
        if not checks and guard is None:
            await handler(step, run)
        else:
            await _act_as_task(handler, step, run, checks, guard)
    finally:
        lookup_guard.reset(token)
    if watch is not None and isinstance(step, GotoStep):
        watch.after_goto(run, step)


async def _act_as_task(handler: Handler, step: StepBase, run: RunContext, checks: bool,
                       guard: StepGuard | None) -> None:
    state = run.state
    action: asyncio.Future[None] = asyncio.ensure_future(handler(step, run))
    if checks:
        state.actions.append(action)
    try:
        if guard is None:
            await action
        else:
            await guard.race(action)
    except asyncio.CancelledError:
        check = state.check
        if check is None or check.stopped is not action:
            raise
        await run.confirm_version(enclosing=False)  # raises: the page is another version
        raise
    finally:
        if checks:
            state.actions.pop()


def _rerun_allowed(changed: MapChanged, step: StepBase, run: RunContext,
                   entry: dict[str, Any]) -> None:
    """Note the version change; refuse to repeat a step that writes."""
    run.note(step, ui_version_changed=f"{changed.assumed} -> {changed.found.version}")
    entry.setdefault("errors", []).append(
        f"the page is UI version {changed.found.version}, not {changed.assumed}: "
        "ran again with its selector map")
    if step.is_mutating(run.flow.mutates):
        entry["status"] = "failed"
        raise run.fail(
            step,
            f"the page is UI version {changed.found.version}, but this session's earlier "
            f"runs saw {changed.assumed} and the step acted with that map; it writes, so "
            "it is not repeated",
            hint="check the portal, then run the flow again (the session now uses the "
                 "new version's map)",
        )
