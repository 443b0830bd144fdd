"""How a list spans pages; shared by ``extract`` and ``capture`` (not a step kind)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from portwright.flow.steps.base import problem
from portwright.templating import Templates

__all__ = ["PAGE_COUNT", "PAGE_COUNT_EXPECTED", "Pagination"]

#: what ``max_pages`` is once rendered (said by the run-time error)
PAGE_COUNT = "a whole number greater than or equal to 1"
#: what ``max_pages`` takes as written (said by the definition error)
PAGE_COUNT_EXPECTED = (f"{PAGE_COUNT}, or a template that renders to one, "
                       "e.g. \"{{ inputs.max_pages }}\"")
_WHOLE_NUMBER = re.compile(r"[0-9]+")


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

    ``max_pages`` bounds the walk: a number, or a template (``"{{ inputs.max_pages }}"``)
    rendered when the step runs, since how far to read is often the caller's choice; what
    it renders to is checked then (see ``runner.pagination.page_limit``). ``stop_when`` is
    a template expression evaluated after each page with ``page`` (1-based), ``page_rows``
    (that page) and ``rows`` (all so far).
    """

    model_config = ConfigDict(extra="forbid")

    mode: Literal["next", "numbered", "load_more", "scroll"] | None = Field(
        default=None, description="Optional; inferred from which control is given."
    )
    next: str | None = None
    numbered: str | None = None
    load_more: str | None = None
    scroll: bool = False
    max_pages: Annotated[int, Field(ge=1)] | str = Field(
        default=100,
        description="At most this many pages (a number, or a template rendering to one).")
    stop_when: str | None = None
    settle_ms: int = Field(default=1500, gt=0, description=(
        "Scroll mode: how long to wait for new rows. Other modes: how long a list that is "
        "empty right after a page change gets to fill before it counts as empty."))

    @field_validator("max_pages", mode="before")
    @classmethod
    def _page_count(cls, value: Any) -> Any:
        """A whole number >= 1, the same written as text (``"5"``, accepted before
        templates were) or a template; anything else is refused here with one message,
        not with one per member of the field's type."""
        if isinstance(value, str) and Templates.is_template(value):
            return value
        number = value.strip() if isinstance(value, str) else value
        if isinstance(number, str) and _WHOLE_NUMBER.fullmatch(number):
            number = int(number)
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            raise problem(f"invalid value {value!r}", PAGE_COUNT_EXPECTED)
        return number

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
