"""``goto``: open a URL (templated, e.g. ``{{ portal.base_url }}/patients``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from portwright.flow.steps.base import StepBase


class GotoStep(StepBase):
    """Navigate the session's page to ``url`` and wait for ``wait_until``.

    The page's own answer counts: an error page (HTTP 4xx/5xx) fails the step, as a
    ``request`` answered so does, since a flow reading it would find nothing and pass.
    """

    action: Literal["goto"]
    url: str = Field(description="Absolute URL, templated.")
    wait_until: Literal["load", "domcontentloaded", "networkidle", "commit"] = "load"
    expect_status: list[int] | None = Field(
        default=None,
        description="Fail unless the page's HTTP status is one of these (default: any "
                    "status below 400; redirects count by the page they end on).",
    )
