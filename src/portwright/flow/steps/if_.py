"""``if``: run ``then`` or ``else`` depending on a condition.

Besides a template ``condition`` and a ``visible`` probe, ``if`` can branch on what the
selector map of the detected UI version offers (``map_offers: [names]``). That test is a
fact about a map version, known before any run, so ``portwright validate`` and the standard
adapter suite can tell which branch each version takes and require a branch's names only
of the versions that can take it (:mod:`portwright.flow.reachability`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from portwright.flow.steps.base import StepBase, problem

if TYPE_CHECKING:
    from portwright.flow.steps.base import Step


class IfStep(StepBase):
    """``condition`` is a template expression (``inputs.mrn is defined``); ``visible`` is a
    logical name checked immediately (no waiting); ``map_offers`` lists logical names the
    detected selector map must define. Give ``condition`` or ``visible`` (not both), or
    ``map_offers``, or ``map_offers`` with one of the others: then both must hold
    (``map_offers`` is tested first, the other only when the map offers the names).
    """

    action: Literal["if"]
    condition: str | None = None
    visible: str | None = None
    map_offers: list[str] | None = Field(
        default=None, min_length=1,
        description="Logical names the detected UI version's selector map must define for "
                    "'then' to run (all of them). Names under 'then' are required only of "
                    "map versions that define these; with no condition/visible, names under "
                    "'else' only of versions that do not.",
    )
    then: list[Step] = Field(default_factory=list)
    else_: list[Step] = Field(default_factory=list, alias="else")

    @model_validator(mode="after")
    def _one_condition(self) -> IfStep:
        if self.condition is not None and self.visible is not None:
            raise problem(
                "if takes 'condition' or 'visible', not both",
                "one of 'condition' or 'visible' (optionally with 'map_offers')",
            )
        if self.condition is None and self.visible is None and self.map_offers is None:
            raise problem(
                "if needs a condition",
                "one of 'condition', 'visible' or 'map_offers'",
            )
        return self

    def children(self) -> Iterator[tuple[str, Sequence[StepBase]]]:
        yield "then", self.then
        yield "else", self.else_

    def branches(
        self, offered: Callable[[Sequence[str]], bool]
    ) -> Iterator[tuple[str, Sequence[StepBase]]]:
        if self.map_offers is None:
            yield from self.children()
        elif offered(self.map_offers):
            yield "then", self.then
            if self.condition is not None or self.visible is not None:
                yield "else", self.else_
        else:
            yield "else", self.else_

    def selector_names(self) -> Iterator[str]:
        # the map_offers names are the question, not a requirement: a version without
        # them is expected, so they are not reported here
        if self.visible:
            yield self.visible
