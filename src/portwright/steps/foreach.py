"""Handler of ``foreach``."""

from __future__ import annotations

from portwright.flow.steps.foreach import ForeachStep
from portwright.runner.context import RunContext


async def handle(step: ForeachStep, run: RunContext) -> None:
    items = run.evaluate(step.items)
    if items is None:
        items = []
    if isinstance(items, dict | str) or not hasattr(items, "__iter__"):
        raise run.fail(step, f"'items' gave a {type(items).__name__}, not a list")
    items = list(items)
    for index, item in enumerate(items):
        run.set_var(step.as_, item)
        run.set_var("loop", {"index": index + 1, "index0": index, "first": index == 0,
                             "last": index == len(items) - 1, "length": len(items)})
        await run.run_steps(step.steps)
    run.unset_var(step.as_)
    run.unset_var("loop")
    run.note(step, items=len(items))
