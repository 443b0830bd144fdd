"""Handler of ``call``: run a subflow in the same session.

The inputs it passes are checked against the called flow first: one it refuses fails
this step (:func:`~portwright.runner.nested_calls.check_call_inputs`).
"""

from __future__ import annotations

from portwright.flow.steps.call import CallStep
from portwright.runner.context import RunContext
from portwright.runner.nested_calls import check_call_inputs


async def handle(step: CallStep, run: RunContext) -> None:
    inputs = {k: run.render(v) for k, v in step.inputs.items()}
    check_call_inputs(run, step, inputs)
    outputs = await run.call(step.flow, inputs)
    if step.into:
        run.set_var(step.into, outputs)
