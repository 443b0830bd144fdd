"""Handler of ``press``."""

from __future__ import annotations

from portwright.flow.steps.press import PressStep
from portwright.runner.context import RunContext


async def handle(step: PressStep, run: RunContext) -> None:
    if step.target:
        loc = await run.one(step.target, step)
        await loc.press(step.key, timeout=run.timeout(step))
    else:
        await run.page.keyboard.press(step.key)
