"""Handler of ``click``."""

from __future__ import annotations

from portwright.flow.steps.click import ClickStep
from portwright.runner.context import RunContext


async def handle(step: ClickStep, run: RunContext) -> None:
    loc = await run.one(step.target, step)
    if step.double:
        await loc.dblclick(timeout=run.timeout(step), force=step.force)
    else:
        await loc.click(timeout=run.timeout(step), force=step.force)
