"""``retry``: run steps again after a failure — only when that is safe.

Retrying a mutating step blindly can duplicate a write. A retry block containing a
mutating step is accepted only with ``idempotency``: steps that look for the first
attempt's effect, and a ``landed`` expression; when it is true, the block stops.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from portwright.flow.steps.base import StepBase

if TYPE_CHECKING:
    from portwright.flow.steps.base import Step


class IdempotencyCheck(BaseModel):
    """Run ``steps`` (read-only), then evaluate ``landed``: true means "already done"."""

    model_config = ConfigDict(extra="forbid")

    steps: list[Step] = Field(default_factory=list)
    landed: str


class RetryStep(StepBase):
    """Run ``steps``; on failure run them again, up to ``attempts`` times in total."""

    action: Literal["retry"]
    attempts: int = Field(default=3, ge=2, le=10)
    steps: list[Step] = Field(min_length=1)
    idempotency: IdempotencyCheck | None = None

    def children(self) -> Iterator[tuple[str, Sequence[StepBase]]]:
        yield "steps", self.steps
        if self.idempotency:
            yield "idempotency.steps", self.idempotency.steps
