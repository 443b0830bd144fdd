"""Handler of ``require``."""

from __future__ import annotations

from portwright.exceptions import FlowInputError
from portwright.flow.steps.require import RequireStep
from portwright.runner.context import RunContext


async def handle(step: RequireStep, run: RunContext) -> None:
    if run.evaluate(step.condition):
        return
    raise FlowInputError(run.redact(run.text(step.message)), flow=run.flow.flow,
                         field=step.input, hint="fix the inputs; this form was not sent")
