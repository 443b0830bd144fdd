"""Handler of ``screenshot``."""

from __future__ import annotations

from portwright.flow.steps.screenshot import ScreenshotStep
from portwright.runner.context import RunContext


async def handle(step: ScreenshotStep, run: RunContext) -> None:
    path = run.artifact(f"{step.name}.png")
    await run.page.screenshot(path=path, full_page=step.full_page, timeout=run.timeout(step))
    if step.into:
        run.set_var(step.into, str(path))
