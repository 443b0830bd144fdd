"""Walking through pages of a list: find the control, use it, wait until the list moved.

Waiting is always on a condition (the rows' text changed, their count grew, a response
arrived), never a fixed sleep.

``max_pages`` may be a template (the caller decides how far to read); it is rendered
once, before the first page, so a value that is no page count fails the step before
anything is read, not after a walk of unknown length.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Awaitable, Callable
from typing import Any

from playwright.async_api import Locator, expect
from playwright.async_api import TimeoutError as PlaywrightTimeout

from portwright.exceptions import StepTimeout
from portwright.flow.steps.base import StepBase
from portwright.flow.steps.pagination import Pagination
from portwright.runner.context import RunContext
from portwright.runner.rendered_counts import rendered_count

__all__ = ["find_control", "page_limit", "walk_pages"]


_DISABLED = """el => !!(el.disabled || el.getAttribute('aria-disabled') === 'true'
  || el.classList.contains('disabled') || el.closest('[aria-disabled="true"], .disabled'))"""


def page_limit(run: RunContext, spec: Pagination, step: StepBase | None) -> int:
    """How many pages ``spec`` reads at most in this run: ``max_pages`` as written, or
    its template rendered now (:func:`rendered_count`)."""
    return rendered_count(run, spec.max_pages, field="paginate.max_pages", step=step)


async def find_control(run: RunContext, spec: Pagination, page_no: int) -> Locator | None:
    """The control leading to page ``page_no + 1``, or None at the end of the list."""
    resolver = await run.resolver()
    if spec.mode == "scroll":
        return None
    name = spec.next or spec.numbered or spec.load_more
    assert name is not None
    control = await resolver.probe(name)
    if control is None:
        return None
    if spec.mode == "numbered":
        link = control.get_by_text(str(page_no + 1), exact=True)
        if await link.count() == 0:
            return None
        control = link.first
    if not await control.is_visible() or await control.evaluate(_DISABLED):
        return None
    return control


async def _advance_dom(run: RunContext, spec: Pagination, page_no: int, rows: Locator,
                       timeout: float) -> bool:
    """Move the list forward; True when new rows are showing."""
    if spec.mode == "scroll":
        before = await rows.count()
        if before == 0:
            return False
        await rows.nth(before - 1).scroll_into_view_if_needed(timeout=timeout)
        await run.page.mouse.wheel(0, 4000)
        try:
            await expect(rows).not_to_have_count(before, timeout=spec.settle_ms)
        except AssertionError:
            return False
        return True
    control = await find_control(run, spec, page_no)
    if control is None:
        return False
    if spec.mode == "load_more":
        before = await rows.count()
        await control.click(timeout=timeout)
        await expect(rows).not_to_have_count(before, timeout=timeout)
        return True
    before_text = await rows.all_inner_texts()
    await control.click(timeout=timeout)
    if before_text:
        # compared as read (innerText): textContent drops the tab between cells, so
        # "Person 21\t63" never equalled it and the wait passed at once, unchanged rows
        # and all (a page read twice, or an old page read as the next one)
        await expect(rows).not_to_have_text(before_text, use_inner_text=True,
                                            timeout=timeout)
    # The rows differ from the last page's, which is also true of no rows at all: a new
    # document still being parsed, or a list that empties itself while it fetches the
    # next page. Neither is the end of the list, so wait for the document, then give an
    # empty list ``settle_ms`` to fill before reading it as empty.
    await run.page.wait_for_load_state("domcontentloaded", timeout=timeout)
    with contextlib.suppress(AssertionError):
        await expect(rows).not_to_have_count(0, timeout=spec.settle_ms)
    return True


async def walk_pages(
    run: RunContext,
    spec: Pagination | None,
    rows_name: str,
    read: Callable[[Locator, int], Awaitable[tuple[list[Any], int]]],
    timeout: float,
    limit: int | None = None,
    step: StepBase | None = None,
) -> list[Any]:
    """Read page after page; ``read(rows, offset)`` returns the rows from ``offset`` on and
    how many rows the page shows (``step``, the step paginating, places a bad templated
    ``max_pages`` in its file). The rows' primary strategy is read directly (its count
    comes with the read); fallbacks are counted only when it finds no row."""
    pages = 1 if spec is None else page_limit(run, spec, step)
    resolver = await run.resolver()
    collected: list[Any] = []
    page_no = 1
    accumulates = spec is not None and spec.mode in ("load_more", "scroll")
    entry = resolver.entry(rows_name)
    while True:
        started = time.perf_counter()
        rows = await resolver.primary(rows_name)
        offset = len(collected) if accumulates else 0
        mark = len(resolver.log)
        page_rows, total = await read(rows, offset)
        if total == 0 and len(entry.strategies) > 1:
            rows = await resolver.all(rows_name)   # counts the fallbacks, logs the winner
            page_rows, total = await read(rows, offset)
        elif page_no == 1:
            resolver.record(rows_name, 0, total, started, outcome=None if total else "empty")
            resolver.log.insert(mark, resolver.log.pop())  # the list before its fields
        collected.extend(page_rows)
        if limit is not None and len(collected) >= limit:
            return collected[:limit]
        if spec is None or page_no >= pages:
            return collected
        if spec.stop_when:
            scope = {**run.scope, "page": page_no, "page_rows": page_rows, "rows": collected}
            if run.state.templates.evaluate(spec.stop_when, scope):
                return collected
        try:
            moved = await _advance_dom(run, spec, page_no, rows, timeout)
        except (AssertionError, PlaywrightTimeout):
            # The control was there and enabled, and using it changed nothing in time:
            # what was read may be a short list, which must not pass for the whole one.
            raise StepTimeout(
                f"page {page_no + 1} of '{rows_name}' did not show within "
                f"{timeout:.0f} ms after {_how_moved(spec)}; "
                f"{len(collected)} row(s) read so far",
                hint="if the portal leaves that control enabled on the last page, end the "
                     "walk with 'stop_when' (or map the control's disabled state)",
            ) from None
        if not moved:
            return collected
        page_no += 1


def _how_moved(spec: Pagination) -> str:
    if spec.mode == "scroll":
        return "scrolling to its last row"
    return f"using its '{spec.mode}' control"
