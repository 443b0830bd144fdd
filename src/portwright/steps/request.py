"""Handler of ``request``: HTTP through the browser context (the session's cookies)."""

from __future__ import annotations

from typing import Any

from portwright.flow.steps.request import RequestStep
from portwright.runner.context import RunContext
from portwright.shown_url import shown_url


async def handle(step: RequestStep, run: RunContext) -> None:
    url = run.text(step.url)
    params: dict[str, str | float | bool] = {k: run.text(v) for k, v in step.params.items()}
    headers = {k: run.text(v) for k, v in step.headers.items()}
    kwargs: dict[str, Any] = {}
    if step.json_body is not None:
        kwargs["data"] = run.render(step.json_body)
    elif step.form is not None:
        kwargs["form"] = {k: run.text(v) for k, v in step.form.items()}
    resp = await run.context.request.fetch(
        url, method=step.method, params=params or None, headers=headers or None,
        timeout=run.timeout(step), **kwargs,
    )
    run.note(step, method=step.method, url=run.shown(step.url), status=resp.status)
    body: Any
    text = await resp.text()
    try:
        body = await resp.json() if text else None
    except Exception:
        body = None
    ok = resp.status in step.expect_status if step.expect_status else 200 <= resp.status < 300
    if not ok:
        # the URL as the flow wrote it (the path it rendered may carry an MRN or a name),
        # and one the portal redirected to with the inputs' values as their placeholders
        raise run.fail(step, f"{step.method} {shown_url(run.unrendered(resp.url))} "
                       f"answered {resp.status}")
    if step.into:
        run.set_var(step.into, {"status": resp.status, "headers": resp.headers, "json": body,
                                "text": text, "url": resp.url})
