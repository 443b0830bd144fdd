"""Handler of ``assert``: auto-waits up to the step timeout, then fails with
``FlowAssertionFailed``. Messages name what was checked, never the page's text (which
may be PHI). A selector the browser cannot parse, or a frame name pointing at an element
that is no frame, is no failed assertion: it is left to the runner, which reports it as
``SelectorInvalid`` or names the frame (``SelectorNotFound``)."""

from __future__ import annotations

import re

from playwright.async_api import expect

from portwright.exceptions import FlowAssertionFailed, SelectorNotFound
from portwright.flow.steps.assert_ import AssertStep
from portwright.runner.context import RunContext
from portwright.selector_map.frame_element import frame_refused
from portwright.selector_map.strategies import invalid_reason


async def handle(step: AssertStep, run: RunContext) -> None:
    timeout = run.timeout(step)
    custom = run.text(step.message) if step.message else None
    try:
        await _check(step, run, timeout)
    except (AssertionError, SelectorNotFound) as exc:
        if invalid_reason(exc) is not None or frame_refused(exc):
            raise  # the map is wrong, not the page: the runner names the strategy
        what = _describe(step)
        raise run.fail(step, custom or f"assertion failed: {what}", FlowAssertionFailed) \
            from exc


def _describe(step: AssertStep) -> str:
    if step.check == "url":
        return "the page URL does not match"
    if step.check == "count":
        return f"the number of '{step.target}' is out of the expected range"
    if step.check == "text":
        return f"the text of '{step.target}' does not match"
    return f"'{step.target}' is not {step.check}"


async def _check(step: AssertStep, run: RunContext, timeout: float) -> None:
    page = run.page
    if step.check == "url":
        if step.equals is not None:
            await expect(page).to_have_url(run.text(step.equals), timeout=timeout)
        elif step.contains is not None:
            await expect(page).to_have_url(re.compile(re.escape(run.text(step.contains))),
                                           timeout=timeout)
        else:
            await expect(page).to_have_url(re.compile(run.text(step.matches)), timeout=timeout)
        return
    assert step.target is not None
    resolver = await run.resolver()
    if step.check == "hidden":
        locs = [loc for _, loc in resolver.locators(step.target, page)]
        combined = locs[0]
        for extra in locs[1:]:
            combined = combined.or_(extra)
        await expect(combined.first).to_be_hidden(timeout=timeout)
        return
    if step.check == "count":
        loc = await resolver.all(step.target)
        if step.equals is not None:
            await expect(loc).to_have_count(int(run.text(step.equals)), timeout=timeout)
            return
        n = await loc.count()
        if (step.min is not None and n < step.min) or (step.max is not None and n > step.max):
            raise AssertionError("count out of range")
        return
    loc = await resolver.one(step.target, timeout_ms=timeout, navigates=False)
    if step.check == "visible":
        await expect(loc).to_be_visible(timeout=timeout)
    elif step.equals is not None:
        await expect(loc).to_have_text(run.text(step.equals), timeout=timeout)
    elif step.contains is not None:
        await expect(loc).to_contain_text(run.text(step.contains), timeout=timeout)
    else:
        await expect(loc).to_have_text(re.compile(run.text(step.matches)), timeout=timeout)
