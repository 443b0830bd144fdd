"""What a failed run leaves for a person to look at, and how its error names it.

A screenshot of the page (as ``artifact_privacy`` allows), the trace (a one-shot capture
of the page, or the recorded chunk and parts, each scrubbed or not kept:
:mod:`portwright.runner.trace_keeping`) and the step log with secrets redacted. The
error is the run's own; a trace that could not be kept is a note on it, never a
replacement for it.
"""

from __future__ import annotations

import json
from pathlib import Path

from portwright.artifact_privacy import ArtifactPrivacy
from portwright.exceptions import PortwrightError
from portwright.runner.context import RunState
from portwright.runner.screenshots import take_screenshot
from portwright.runner.trace_keeping import discard, keep_trace_parts, scrub_kept

__all__ = ["write_failure_artifacts"]


async def write_failure_artifacts(state: RunState, exc: PortwrightError, *,
                                  one_shot_trace: bool, privacy: ArtifactPrivacy) -> None:
    """Write screenshot, trace and step log; name them in the error."""
    session = state.session
    paths: list[Path] = []
    problems: list[Exception] = []
    if one_shot_trace and not session.tracing and privacy == ArtifactPrivacy.FULL:
        trace = state.artifacts.file("trace.zip")
        try:
            await session.context.tracing.start(snapshots=True, screenshots=False)
            try:
                await session.page.locator("html").evaluate("e => e.tagName",
                                                            timeout=5_000)
            finally:
                await session.context.tracing.stop(path=trace)
            scrub_kept(state, trace)
            paths.append(trace)
        except Exception as problem:
            discard(state, trace)
            problems.append(problem)
    try:
        shot = state.artifacts.file("failure.png")
        await take_screenshot(session.page, shot, privacy)
        paths.append(shot)
    except Exception:
        state.artifacts.files.remove(shot)
    if session.tracing:
        if session.chunk_active:
            trace = state.artifacts.file("trace.zip")
            try:
                await session.context.tracing.stop_chunk(path=trace)
                scrub_kept(state, trace)
                paths.append(trace)
            except Exception as problem:
                discard(state, trace)
                problems.append(problem)
            session.chunk_active = False
        before = len(state.artifacts.files)
        problems += keep_trace_parts(state, keep=True)
        paths.extend(state.artifacts.files[before:])
    log = state.artifacts.file("steps.jsonl")
    lines = [state.redactor.redact(json.dumps(s, default=str)) for s in state.steps]
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    paths.append(log)
    exc.message = state.redactor.redact(exc.message) if state.redactor else exc.message
    exc.message += "\n  artifacts: " + ", ".join(str(p) for p in paths)
    if problems:
        # the run's own error stays the error; a trace it could not keep is a note
        exc.message += ("\n  trace not kept (it could not be recorded or scrubbed: "
                        + ", ".join(sorted({type(p).__name__ for p in problems})) + ")")
    exc.args = (exc.message,)
    existing = list(getattr(exc, "artifacts", []) or [])
    exc.artifacts = existing + paths  # type: ignore[attr-defined]
