"""Handler of ``if``."""

from __future__ import annotations

from portwright.flow.steps.if_ import IfStep
from portwright.runner.context import RunContext


async def handle(step: IfStep, run: RunContext) -> None:
    if step.condition is not None:
        taken = bool(run.evaluate(step.condition))
    else:
        assert step.visible is not None
        found = await (await run.resolver()).probe(step.visible)
        taken = found is not None and await found.is_visible()
    run.note(step, branch="then" if taken else "else")
    await run.run_steps(step.then if taken else step.else_)
