"""Keeping a run's Playwright traces: scrubbed, or not at all.

A trace holds what the browser saw, typed secrets included, until it is scrubbed
(:mod:`portwright.runner.trace_scrub`). So every trace a run keeps goes through
:func:`scrub_kept`, and one that cannot be recorded or scrubbed is deleted
(:func:`discard`), never left as Playwright wrote it. The parts recorded before a secret
step (``RunState.trace_parts``) are kept or dropped the same way.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Literal

from portwright.artifact_privacy import ArtifactPrivacy
from portwright.runner.context import RunState
from portwright.runner.trace_scrub import TraceFields, scrub_trace, trace_fields
from portwright.settings import Settings

__all__ = ["RECORDING", "TraceMode", "discard", "keep_trace_parts", "scrub_kept",
           "trace_fields_needed"]

#: ``on-failure`` (default): nothing is recorded while a run goes well; when a step fails,
#: a one-shot trace captures the page as it is (DOM snapshot), next to the screenshot and
#: the step log. ``retain-on-failure``: the whole run is recorded (actions, network) and
#: kept only if it fails. ``on``: recorded and always kept. ``off``: no trace at all.
TraceMode = Literal["off", "on", "retain-on-failure", "on-failure"]
#: the modes that record the whole run
RECORDING: tuple[str, ...] = ("on", "retain-on-failure")


def trace_fields_needed(settings: Settings, engine_trace: TraceMode, portal: str,
                        trace_mode: TraceMode) -> TraceFields | None:
    """The fields a trace of this run is scrubbed of, when the run may write one: read
    before any browsing, so that a policy that does not load fails the run before it
    does anything, instead of the trace of a failure (or a run's error) at its end."""
    one_shot = trace_mode == "on-failure" \
        and settings.artifact_privacy == ArtifactPrivacy.FULL
    if trace_mode in RECORDING or engine_trace in RECORDING or one_shot:
        return trace_fields(portal)
    return None


def scrub_kept(state: RunState, trace: Path) -> None:
    """Scrub ``trace`` with the run's secrets and the fields read at its start."""
    scrub_trace(trace, state.redactor.variants(), portal=state.portal,
                fields=state.extras.get("trace_fields"))


def discard(state: RunState, trace: Path) -> None:
    """Delete a trace that could not be recorded or scrubbed, and its scrubbing copy:
    what is left of it is as Playwright wrote it, typed secrets included."""
    trace.unlink(missing_ok=True)
    trace.with_suffix(".scrubbing").unlink(missing_ok=True)
    if trace in state.artifacts.files:
        state.artifacts.files.remove(trace)


def keep_trace_parts(state: RunState, keep: bool) -> list[Exception]:
    """Move the trace parts recorded before secret steps into the artifacts, each
    scrubbed (``keep``), and remove their temporary folder whatever happens. A part
    that cannot be scrubbed is deleted, and the others still kept; the problems are
    returned, for the caller to raise or to note beside the run's own error."""
    tmp = state.extras.pop("trace_tmp", None)
    problems: list[Exception] = []
    try:
        for i, part in enumerate(state.trace_parts, start=1):
            if keep and Path(part).exists():
                target = state.artifacts.file(f"trace-part{i}.zip")
                try:
                    shutil.move(str(part), target)
                    scrub_kept(state, target)
                except Exception as problem:
                    discard(state, target)
                    problems.append(problem)
    finally:
        state.trace_parts.clear()
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return problems
