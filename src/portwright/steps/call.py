"""Handler of ``call``: run a subflow in the same session."""

from __future__ import annotations

from portwright.flow.steps.call import CallStep
from portwright.runner.context import RunContext


async def handle(step: CallStep, run: RunContext) -> None:
    inputs = {k: run.render(v) for k, v in step.inputs.items()}
    outputs = await run.call(step.flow, inputs)
    if step.into:
        run.set_var(step.into, outputs)
