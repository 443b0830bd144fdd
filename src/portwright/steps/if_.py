"""Handler of ``if``."""

from __future__ import annotations

from portwright.flow.reachability import map_offers
from portwright.flow.steps.if_ import IfStep
from portwright.runner.context import RunContext


async def handle(step: IfStep, run: RunContext) -> None:
    taken = True
    if step.map_offers is not None:
        resolver = await run.resolver()
        taken = map_offers(resolver.map.entries, step.map_offers)
        run.note(step, map_offers=taken, map_version=resolver.map.version)
    if taken and step.condition is not None:
        taken = bool(run.evaluate(step.condition))
    elif taken and step.visible is not None:
        found = await (await run.resolver()).probe(step.visible)
        taken = found is not None and await found.is_visible()
    run.note(step, branch="then" if taken else "else")
    await run.run_steps(step.then if taken else step.else_)
