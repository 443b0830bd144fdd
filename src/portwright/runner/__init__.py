"""The async runner: engine, sessions, run context, step execution and results."""

from __future__ import annotations

from portwright.runner.context import RunContext, RunState
from portwright.runner.engine import Engine, TraceMode
from portwright.runner.result import ResolutionRecord, RunResult, StepRecord
from portwright.runner.session import ContextFactory, Session, SessionKey

__all__ = [
    "ContextFactory",
    "Engine",
    "ResolutionRecord",
    "RunContext",
    "RunResult",
    "RunState",
    "Session",
    "SessionKey",
    "StepRecord",
    "TraceMode",
]
