"""Handler of ``select``."""

from __future__ import annotations

from portwright.flow.steps.select import SelectStep
from portwright.runner.context import RunContext


async def handle(step: SelectStep, run: RunContext) -> None:
    loc = await run.one(step.target, step)
    if step.value is not None:
        await loc.select_option(value=run.text(step.value), timeout=run.timeout(step))
    else:
        await loc.select_option(label=run.text(step.label), timeout=run.timeout(step))
