"""``json_pages``: follow a portal JSON endpoint's cursor to the end, inside the session.

The 2026.1 client list fetches ``/api/v2/patients`` 25 rows at a time and only asks for
the next page when a user clicks "Load more". Once a flow has captured the first
response, it can keep reading the same endpoint the page uses, with the session's cookies
and the cursor the portal issued (never a forged one), at the endpoint's largest page
size. That is what makes a full sync by JSON many times faster than paging the DOM.

The requests go out over one keep-alive HTTP connection carrying the browser context's
cookies for that URL (read at the start), not through the browser: a hundred page
requests through the driver cost seconds of IPC for nothing the browser adds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import httpx
from pydantic import Field

from portwright.exceptions import PortalError
from portwright.flow.steps.base import StepBase

if TYPE_CHECKING:
    from portwright.runner.context import RunContext

__all__ = ["JsonPagesStep", "handle_json_pages"]


class JsonPagesStep(StepBase):
    """GET ``url`` with ``params`` plus ``cursor`` until the body's ``next_key`` field is null.

    ``start`` is the cursor to begin from (templated; empty or null → nothing to read,
    e.g. when the captured first page was the last). Items of every page are appended to
    ``into``.
    """

    action: Literal["json_pages"]
    url: str
    params: dict[str, Any] = Field(default_factory=dict)
    start: str = Field(description="Cursor of the first page to read (templated).")
    items_key: str = "items"
    next_key: str = "nextCursor"
    cursor_param: str = "cursor"
    into: str
    max_pages: int = Field(default=10_000, ge=1)


async def handle_json_pages(step: JsonPagesStep, run: RunContext) -> None:
    cursor = run.render(step.start)
    params = {k: v for k, v in (run.render(step.params) or {}).items()
              if v is not None and v != ""}
    url = run.text(step.url)
    collected: list[Any] = []
    pages = 0
    cookies = {c["name"]: c["value"] for c in await run.context.cookies(url)
               if "name" in c and "value" in c}
    async with httpx.AsyncClient(cookies=cookies, timeout=run.timeout(step) / 1000,
                                 headers={"Accept": "application/json"}) as client:
        while cursor and pages < step.max_pages:
            response = await client.get(url, params={**params, step.cursor_param: str(cursor)})
            if response.status_code != 200:
                raise PortalError(run.redact(
                    f"{run.flow.flow}: {url} answered {response.status_code} on page "
                    f"{pages + 2}"))
            body = response.json()
            found = body.get(step.items_key) if isinstance(body, dict) else None
            collected.extend(found or [])
            cursor = body.get(step.next_key) if isinstance(body, dict) else None
            pages += 1
    run.note(step, pages=pages, items=len(collected))
    run.set_var(step.into, collected)
