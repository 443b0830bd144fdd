"""``assert``: check the page is in the expected state (auto-waits up to the timeout)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field, model_validator

from portwright.flow.steps.base import StepBase, problem


class AssertStep(StepBase):
    """Exactly one check: ``visible``, ``hidden``, ``text``, ``url`` or ``count``.

    ``text`` and ``count`` need ``target``; ``text`` compares with ``equals``,
    ``contains`` or ``matches`` (regex); ``count`` with ``equals``, ``min`` or ``max``.
    ``message`` is what the failure says (templated).
    """

    action: Literal["assert"]
    check: Literal["visible", "hidden", "text", "url", "count"]
    target: str | None = None
    equals: str | int | None = None
    contains: str | None = None
    matches: str | None = None
    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)
    message: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> AssertStep:
        if self.check in ("visible", "hidden", "text", "count") and not self.target:
            raise problem(
                f"check '{self.check}' has no target",
                "'target': the logical name to check",
            )
        if self.check == "url" and self.equals is None and self.matches is None \
                and self.contains is None:
            raise problem(
                "check 'url' has nothing to compare with",
                "'equals', 'contains' or 'matches'",
            )
        if self.check == "text" and (self.equals, self.contains, self.matches) == (None,) * 3:
            raise problem(
                "check 'text' has nothing to compare with",
                "'equals', 'contains' or 'matches'",
            )
        if self.check == "count" and (self.equals, self.min, self.max) == (None,) * 3:
            raise problem("check 'count' has nothing to compare with", "'equals', 'min' or 'max'")
        return self

    def selector_names(self) -> Iterator[str]:
        if self.target:
            yield self.target
