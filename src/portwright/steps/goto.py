"""Handler of ``goto``: open the page, and fail when the portal answers it with an
error page (a 404 or a 500 read as an empty list would pass a run that found nothing)."""

from __future__ import annotations

from portwright.flow.steps.goto import GotoStep
from portwright.runner.context import RunContext

#: the lowest status of an error page: 4xx (gone, forbidden) and 5xx (the portal failed)
FIRST_ERROR_STATUS = 400
FIRST_SERVER_ERROR = 500


def _hint(step: GotoStep, status: int) -> str:
    """What to do about the status: it is not the one declared, the portal failed
    (perhaps for a moment), or the page is not there for this session."""
    if step.expect_status:
        return "the portal answered another status than the step declares (expect_status)"
    if status >= FIRST_SERVER_ERROR:
        return ("the portal failed to serve the page; if that is passing, give the step "
                "'retries'")
    return ("check the URL the flow opens; if the portal answers it so on purpose, declare "
            f"it on the step: expect_status: [{status}]")


async def handle(step: GotoStep, run: RunContext) -> None:
    url = run.text(step.url)
    run.note(step, url=run.shown(step.url))
    response = await run.page.goto(url, wait_until=step.wait_until, timeout=run.timeout(step))
    if response is None:  # the same document (a #fragment): no HTTP answer to judge
        return
    status = response.status  # of the page redirects end on: 302 → login → 200 is fine
    run.note(step, status=status)
    if status in step.expect_status if step.expect_status else status < FIRST_ERROR_STATUS:
        return
    # the URL as the flow wrote it: the rendered one may carry an MRN or a name
    raise run.fail(step, f"goto {run.shown(step.url)} answered HTTP {status}",
                   hint=_hint(step, status))
