"""``set``: bind variables to templated values for later steps."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from portwright.flow.steps.base import StepBase


class SetStep(StepBase):
    """Each key of ``values`` becomes a variable; ``"{{ expr }}"`` keeps the native type."""

    action: Literal["set"]
    values: dict[str, Any] = Field(min_length=1)
