"""``call``: run another flow (by name) with inputs, in the same session."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from portwright.flow.steps.base import StepBase


class CallStep(StepBase):
    """Run ``flow`` with ``inputs`` (templated); its outputs go to ``into`` if given."""

    action: Literal["call"]
    flow: str
    inputs: dict[str, Any] = Field(default_factory=dict)
    into: str | None = None
