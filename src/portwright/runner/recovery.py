"""The runner's extension point for recovering from a failed step.

When a step fails, the runner asks ``engine.recovery`` (if one is installed) what to do:

* ``"retry"``: the cause was repaired (e.g. the session expired and a re-login
  succeeded); run the step again;
* ``"skip"``: the step's effect is already there (its idempotency check says it
  landed); carry on with the next step;
* ``None``: not recoverable here; the error propagates as usual.

The auth layer (:class:`portwright.auth.portal_auth.PortalAuth`) installs one that
turns mid-flow session expiry into a re-login and a resumed flow. The runner calls it at
most once per step execution, so a recovery can never loop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from portwright.exceptions import PortwrightError
    from portwright.flow.steps.base import StepBase
    from portwright.runner.context import RunContext

__all__ = ["RecoveryDecision", "StepRecovery"]

RecoveryDecision = Literal["retry", "skip"] | None


class StepRecovery(Protocol):
    """Decides what happens after ``step`` failed with ``error``."""

    async def recover(
        self, step: StepBase, run: RunContext, error: PortwrightError
    ) -> RecoveryDecision: ...
