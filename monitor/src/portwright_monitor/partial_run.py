"""What a failed canary run had found before it failed: fallbacks, UI version, map.

``Engine.run`` raises on failure and the exception carries no resolution log, yet a run
that failed at step 5 may well have resolved steps 1 to 4 by fallback, on a UI version it
detected: exactly the drift the canary exists to report, and the map fix it can propose.
The runner asks ``engine.recovery`` about every failed step, handing it the run's
context; :class:`PartialRun` sits there for the length of one run, keeps a reference to
the run's shared state (its resolution log is the live list the resolver appends to) and
passes the question on to the recovery that was installed before (session re-login),
whose answer stands.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

from portwright.runner.result import ResolutionRecord

if TYPE_CHECKING:
    from portwright.exceptions import PortwrightError
    from portwright.flow.steps.base import StepBase
    from portwright.runner.context import RunContext, RunState
    from portwright.runner.engine import Engine
    from portwright.runner.recovery import RecoveryDecision, StepRecovery

__all__ = ["PartialRun"]


class PartialRun:
    """Installed as ``engine.recovery`` while one run lasts (``with PartialRun(engine)``)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.before: StepRecovery | None = None
        self.state: RunState | None = None

    def __enter__(self) -> PartialRun:
        self.before = getattr(self.engine, "recovery", None)  # a stand-in engine may lack it
        self.engine.recovery = self
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.engine.recovery = self.before

    async def recover(self, step: StepBase, run: RunContext, error: PortwrightError
                      ) -> RecoveryDecision:
        """Remember the run's state; the recovery installed before decides."""
        self.state = run.state
        if self.before is None:
            return None
        return await self.before.recover(step, run, error)

    @property
    def resolutions(self) -> list[ResolutionRecord]:
        """The failed run's resolution log (empty if no step failed on the way)."""
        if self.state is None:
            return []
        return [ResolutionRecord.model_validate(r.as_dict()) for r in self.state.resolutions]

    @property
    def ui_version(self) -> str | None:
        """The UI version the failed run detected on the page, if it got that far."""
        detection = self.state.detection if self.state is not None else None
        return detection.version if detection is not None else None

    @property
    def selector_map_version(self) -> str | None:
        """The selector map the failed run was using, if any."""
        smap = self.state.smap if self.state is not None else None
        return smap.version if smap is not None else None
