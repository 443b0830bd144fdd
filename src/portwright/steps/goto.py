"""Handler of ``goto``: open the page, and fail when the portal answers it with an
error page (a 404 or a 500 read as an empty list would pass a run that found nothing).

A 401 or 403 is most often not the URL's fault but the account's: a portal refuses a
page to a role that may not open it (a biller on the booking form). The hint says so,
naming the account the run signed in as (a name, never a password), so the person
tries another account instead of hunting for a typo in the flow."""

from __future__ import annotations

from portwright.flow.steps.goto import GotoStep
from portwright.runner.context import RunContext
from portwright.shown_url import shown_url

#: the lowest status of an error page: 4xx (gone, forbidden) and 5xx (the portal failed)
FIRST_ERROR_STATUS = 400
FIRST_SERVER_ERROR = 500
#: "sign in first" and "not for you": the portal refuses the page to the account
REFUSED_TO_ACCOUNT = (401, 403)


def _declared(step: GotoStep, status: int) -> str:
    """The ``expect_status`` advice: the status is not one the step declares, or how to
    declare it when the portal answers so on purpose."""
    if step.expect_status:
        return "the portal answered another status than the step declares (expect_status)"
    return f"if the portal answers it so on purpose, declare it on the step: expect_status: " \
        f"[{status}]"


def _account(run: RunContext) -> str:
    """The account the run signed in as, as ``--account`` names it (a name: no secret)."""
    account = run.state.account
    return f"account '{account}'" if account else "the default account (no --account given)"


def _hint(step: GotoStep, status: int, run: RunContext) -> str:
    """What to do about the status: the page is not for this account, the portal failed
    (perhaps for a moment), or the page is not there for this session."""
    if status in REFUSED_TO_ACCOUNT:
        return (f"the portal refused this page to {_account(run)}, the account this run "
                "signed in as: its role may not allow the page; run with an account whose "
                f"role can open it (--account NAME); {_declared(step, status)}")
    if step.expect_status:
        return _declared(step, status)
    if status >= FIRST_SERVER_ERROR:
        return ("the portal failed to serve the page; if that is passing, give the step "
                "'retries'")
    return f"check the URL the flow opens; {_declared(step, status)}"


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
    # the URL as the flow wrote it: the rendered one may carry an MRN or a name; a page
    # the portal redirected to is its own URL, shown with the run's inputs as placeholders
    redirected = response.request.redirected_from is not None
    landed = f" (redirected to {shown_url(response.url)})" if redirected else ""
    raise run.fail(step, f"goto {run.shown(step.url)} answered HTTP {status}{landed}",
                   hint=_hint(step, status, run))
