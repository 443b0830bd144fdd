"""Handler of ``goto``."""

from __future__ import annotations

from portwright.flow.steps.goto import GotoStep
from portwright.runner.context import RunContext


async def handle(step: GotoStep, run: RunContext) -> None:
    url = run.text(step.url)
    run.note(step, url=run.shown(step.url))
    await run.page.goto(url, wait_until=step.wait_until, timeout=run.timeout(step))
