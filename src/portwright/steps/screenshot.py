"""Handler of ``screenshot``."""

from __future__ import annotations

from portwright.flow.steps.screenshot import ScreenshotStep
from portwright.runner.context import RunContext
from portwright.runner.screenshots import take_screenshot


async def handle(step: ScreenshotStep, run: RunContext) -> None:
    path = run.artifact(f"{step.name}.png")
    await take_screenshot(run.page, path, run.state.engine.settings.artifact_privacy,
                          full_page=step.full_page, timeout=run.timeout(step))
    if step.into:
        run.set_var(step.into, str(path))
