"""Handler of ``check``."""

from __future__ import annotations

from portwright.flow.steps.check import CheckStep
from portwright.runner.context import RunContext


async def handle(step: CheckStep, run: RunContext) -> None:
    wanted = step.checked
    if isinstance(wanted, str):
        rendered = run.render(wanted)
        wanted = rendered if isinstance(rendered, bool) else str(rendered).strip().lower() in {
            "true", "yes", "1", "on"}
    loc = await run.one(step.target, step)
    await loc.set_checked(bool(wanted), timeout=run.timeout(step))
