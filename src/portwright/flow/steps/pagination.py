"""How a list spans pages; shared by ``extract`` and ``capture`` (not a step kind)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from portwright.flow.steps.base import problem

__all__ = ["Pagination"]


class Pagination(BaseModel):
    """Exactly one way to reach the next page, plus when to stop.

    * ``next``: a logical name of the "next page" control; stops when it is missing or
      disabled;
    * ``numbered``: a logical name of the pager; page *n* is the element inside it whose
      text is exactly *n*; stops when there is none;
    * ``load_more``: a "load more" button that appends rows; stops when it goes away;
    * ``scroll``: infinite scroll; stops when no new row appears within ``settle_ms``.

    A control that is there and enabled but does not move the list within the step's
    timeout is an error (``StepTimeout``), never the end of the list: what was read so
    far may be short.

    ``max_pages`` bounds the walk; ``stop_when`` is a template expression evaluated after
    each page with ``page`` (1-based), ``page_rows`` (that page) and ``rows`` (all so far).
    """

    model_config = ConfigDict(extra="forbid")

    mode: Literal["next", "numbered", "load_more", "scroll"] | None = Field(
        default=None, description="Optional; inferred from which control is given."
    )
    next: str | None = None
    numbered: str | None = None
    load_more: str | None = None
    scroll: bool = False
    max_pages: int = Field(default=100, ge=1)
    stop_when: str | None = None
    settle_ms: int = Field(default=1500, gt=0, description=(
        "Scroll mode: how long to wait for new rows. Other modes: how long a list that is "
        "empty right after a page change gets to fill before it counts as empty."))

    @model_validator(mode="after")
    def _one_way(self) -> Pagination:
        given = [n for n in ("next", "numbered", "load_more") if getattr(self, n)]
        if self.scroll:
            given.append("scroll")
        if len(given) != 1:
            raise problem(
                "pagination needs exactly one way to the next page",
                "exactly one of 'next', 'numbered', 'load_more' or 'scroll'",
            )
        if self.mode is not None and self.mode != given[0]:
            raise problem(
                f"mode '{self.mode}' does not match the control given",
                f"mode '{given[0]}' or no mode",
            )
        self.mode = given[0]  # type: ignore[assignment]
        return self

    def selector_names(self) -> Iterator[str]:
        for name in (self.next, self.numbered, self.load_more):
            if name:
                yield name
