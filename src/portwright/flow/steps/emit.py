"""``emit``: turn raw records into entities through the adapter's normalizer."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from portwright.flow.steps.base import StepBase


class EmitStep(StepBase):
    """Normalize each record of ``from`` (an expression giving a list or one dict) into
    ``entity`` with ``load_adapter(portal).normalizer(entity)`` and append the entities to
    the output ``to`` (default: the entity name).
    """

    action: Literal["emit"]
    entity: str
    from_: str = Field(alias="from")
    to: str | None = None
