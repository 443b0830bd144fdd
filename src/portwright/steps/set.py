"""Handler of ``set``."""

from __future__ import annotations

from portwright.flow.steps.set import SetStep
from portwright.runner.context import RunContext


async def handle(step: SetStep, run: RunContext) -> None:
    for name, value in step.values.items():
        run.set_var(name, run.render(value))
