"""``wait_for``: wait for an element state, a URL, a network response or page idleness."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from portwright.flow.steps.base import StepBase, problem

if TYPE_CHECKING:
    from portwright.flow.steps.base import Step


class WaitForStep(StepBase):
    """Exactly one of ``target`` (with ``state``), ``url``, ``response`` or ``idle``.

    ``response`` waits for a response whose URL matches the glob (or ``re:`` regex); the
    steps in ``trigger`` run while waiting, so a fast response cannot be missed.
    """

    action: Literal["wait_for"]
    target: str | None = None
    state: Literal["visible", "hidden", "attached", "detached"] = "visible"
    url: str | None = Field(default=None, description="Glob, or 're:<regex>'.")
    response: str | None = Field(default=None, description="Glob, or 're:<regex>'.")
    status: int | None = None
    idle: Literal["load", "domcontentloaded", "networkidle"] | None = None
    trigger: list[Step] = Field(default_factory=list)

    @model_validator(mode="after")
    def _exactly_one(self) -> WaitForStep:
        given = [n for n in ("target", "url", "response", "idle") if getattr(self, n)]
        if len(given) != 1:
            got = ", ".join(given) if given else "none"
            raise problem(
                f"wait_for needs exactly one condition (got {got})",
                "exactly one of 'target', 'url', 'response' or 'idle'",
            )
        return self

    def children(self) -> Iterator[tuple[str, Sequence[StepBase]]]:
        yield "trigger", self.trigger

    def selector_names(self) -> Iterator[str]:
        if self.target:
            yield self.target
