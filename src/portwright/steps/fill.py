"""Handler of ``fill``: the value is rendered (secrets resolved) just before typing."""

from __future__ import annotations

from portwright.flow.steps.fill import FillStep
from portwright.runner.context import RunContext


async def handle(step: FillStep, run: RunContext) -> None:
    loc = await run.one(step.target, step, navigates=False)
    run.note(step, value=run.shown(step.value))
    await loc.fill(run.text(step.value), timeout=run.timeout(step))
