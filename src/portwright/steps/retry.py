"""Handler of ``retry``: before a new attempt, the idempotency check (if any) decides
whether the earlier attempt already landed — then the block stops instead of repeating
a write."""

from __future__ import annotations

from portwright.exceptions import AuthError, PortalError, SelectorError, StepError
from portwright.flow.steps.retry import RetryStep
from portwright.runner.context import RunContext


async def handle(step: RetryStep, run: RunContext) -> None:
    for attempt in range(1, step.attempts + 1):
        try:
            await run.run_steps(step.steps)
            run.note(step, attempts=attempt)
            return
        except (StepError, SelectorError) as exc:
            if isinstance(exc, AuthError | PortalError) or attempt == step.attempts:
                raise
            if step.idempotency is not None:
                await run.run_steps(step.idempotency.steps)
                if run.evaluate(step.idempotency.landed):
                    run.note(step, attempts=attempt, landed=True)
                    return
