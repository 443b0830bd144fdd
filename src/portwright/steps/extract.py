"""Handler of ``extract``: one element's fields, or rows across pages (of the page, or of
an HTML document fetched in the session)."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Locator

from portwright.flow.steps.extract import ExtractStep
from portwright.runner.context import RunContext
from portwright.runner.extraction import read_one, read_rows
from portwright.runner.html_documents import read_html
from portwright.runner.pagination import walk_pages
from portwright.runner.rendered_counts import rendered_count


async def handle(step: ExtractStep, run: RunContext) -> None:
    if step.html is not None:  # a fetched document: the page does not move
        run.set_var(step.into, await read_html(run, step))
        return
    if step.rows is None:
        run.set_var(step.into, await read_one(run, step))
        return

    async def read(rows: Locator, offset: int) -> tuple[list[Any], int]:
        return await read_rows(run, step, rows, offset)

    limit = (None if step.limit is None
             else rendered_count(run, step.limit, field="limit", step=step))
    rows = await walk_pages(run, step.paginate, step.rows, read, run.timeout(step), limit,
                            step=step)
    run.note(step, rows=len(rows))
    run.set_var(step.into, rows)
