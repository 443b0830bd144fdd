"""Handler of ``extract``: one element's fields, or rows across pages."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Locator

from portwright.flow.steps.extract import ExtractStep
from portwright.runner.context import RunContext
from portwright.runner.extraction import read_one, read_rows
from portwright.runner.pagination import walk_pages


async def handle(step: ExtractStep, run: RunContext) -> None:
    if step.rows is None:
        run.set_var(step.into, await read_one(run, step))
        return

    async def read(rows: Locator, offset: int) -> tuple[list[Any], int]:
        return await read_rows(run, step, rows, offset)

    limit = None if step.limit is None else int(run.text(step.limit))
    if limit is not None and limit < 1:
        raise run.fail(step, f"'limit' must be at least 1, got {limit}")
    rows = await walk_pages(run, step.paginate, step.rows, read, run.timeout(step), limit)
    run.note(step, rows=len(rows))
    run.set_var(step.into, rows)
