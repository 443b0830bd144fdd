"""Handler of ``capture``: collect matching JSON responses while the trigger (and then
pagination) runs. Each page turn waits for one more matching response."""

from __future__ import annotations

import asyncio
from typing import Any

from playwright.async_api import Response

from portwright.flow.steps.capture import CaptureStep
from portwright.runner.context import RunContext
from portwright.runner.pagination import find_control, page_limit
from portwright.steps.url_patterns import url_matcher


def _dig(body: Any, path: str | None) -> Any:
    if path is None:
        return body
    for part in path.split("."):
        body = body.get(part) if isinstance(body, dict) else None
    return body


async def handle(step: CaptureStep, run: RunContext) -> None:
    page = run.page
    timeout = run.timeout(step)
    matcher = url_matcher(run.text(step.response))
    method = step.method.upper() if step.method else None
    bodies: list[asyncio.Future[Any]] = []
    spec = step.paginate
    pages = 1 if spec is None else page_limit(run, spec, step)

    def wanted(resp: Response) -> bool:
        return bool(matcher.search(resp.url)) and (method is None or resp.request.method == method)

    def on_response(resp: Response) -> None:
        if wanted(resp):
            bodies.append(asyncio.ensure_future(resp.json()))

    page.on("response", on_response)
    try:
        async with page.expect_response(wanted, timeout=timeout):
            await run.run_steps(step.trigger)
        page_no = 1
        while spec is not None and page_no < pages:
            if spec.stop_when:
                last = await bodies[-1]
                scope = {**run.scope, "page": page_no, "page_rows": _items(last, step),
                         "rows": None}
                if run.state.templates.evaluate(spec.stop_when, scope):
                    break
            control = await find_control(run, spec, page_no)
            if control is None:
                break
            async with page.expect_response(wanted, timeout=timeout):
                await control.click(timeout=timeout)
            page_no += 1
    finally:
        page.remove_listener("response", on_response)
    results = [await b for b in bodies]
    if step.items is None:
        value: Any = results
    else:
        value = [item for body in results for item in _items(body, step)]
    run.note(step, responses=len(results))
    run.set_var(step.into, value)


def _items(body: Any, step: CaptureStep) -> list[Any]:
    found = _dig(body, step.items)
    if found is None:
        return []
    return found if isinstance(found, list) else [found]
