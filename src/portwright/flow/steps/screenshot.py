"""``screenshot``: save a PNG of the page into the run's artifacts folder."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from portwright.flow.steps.base import StepBase


class ScreenshotStep(StepBase):
    """Write ``<name>.png`` in the run's artifacts folder; its path is bound to ``into``."""

    action: Literal["screenshot"]
    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    full_page: bool = False
    into: str | None = None
