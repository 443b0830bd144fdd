"""``goto``: open a URL (templated, e.g. ``{{ portal.base_url }}/patients``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from portwright.flow.steps.base import StepBase


class GotoStep(StepBase):
    """Navigate the session's page to ``url`` and wait for ``wait_until``."""

    action: Literal["goto"]
    url: str = Field(description="Absolute URL, templated.")
    wait_until: Literal["load", "domcontentloaded", "networkidle", "commit"] = "load"
