"""Handler of ``wait_for``."""

from __future__ import annotations

from playwright.async_api import Response

from portwright.flow.steps.wait_for import WaitForStep
from portwright.runner.context import RunContext
from portwright.steps.url_patterns import url_matcher, url_pattern


async def handle(step: WaitForStep, run: RunContext) -> None:
    timeout = run.timeout(step)
    page = run.page
    if step.target:
        if step.state in ("visible", "attached"):
            loc = await run.one(step.target, step, navigates=False)
            await loc.wait_for(state=step.state, timeout=timeout)
        else:
            resolver = await run.resolver()
            locs = [loc for _, loc in resolver.locators(step.target, page)]
            combined = locs[0]
            for extra in locs[1:]:
                combined = combined.or_(extra)
            await combined.first.wait_for(state=step.state, timeout=timeout)
    elif step.url:
        await page.wait_for_url(url_pattern(run.text(step.url)), timeout=timeout)
    elif step.idle:
        await page.wait_for_load_state(step.idle, timeout=timeout)
    elif step.response:
        matcher = url_matcher(run.text(step.response))

        def wanted(resp: Response) -> bool:
            return bool(matcher.search(resp.url)) and (
                step.status is None or resp.status == step.status)

        async with page.expect_response(wanted, timeout=timeout) as info:
            await run.run_steps(step.trigger)
        resp = await info.value
        run.note(step, status=resp.status)
