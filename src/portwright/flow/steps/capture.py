"""``capture``: keep the JSON of network responses matching a URL (the fast path).

When a portal renders from its own API, reading that JSON beats scraping the DOM: the
steps in ``trigger`` run while responses are collected, then ``paginate`` clicks through
further pages, each click waiting for one more matching response.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from portwright.flow.steps.base import StepBase
from portwright.flow.steps.pagination import Pagination

if TYPE_CHECKING:
    from portwright.flow.steps.base import Step


class CaptureStep(StepBase):
    """Collect JSON bodies of responses whose URL matches ``response`` (glob or ``re:``).

    ``items`` is a dotted path into each body (``data.items``); when given, the lists are
    concatenated into ``into``; otherwise ``into`` holds the list of bodies.
    """

    action: Literal["capture"]
    response: str
    into: str
    trigger: list[Step] = Field(min_length=1)
    items: str | None = None
    paginate: Pagination | None = None
    method: str | None = Field(default=None, description="Only responses to this method.")

    def children(self) -> Iterator[tuple[str, Sequence[StepBase]]]:
        yield "trigger", self.trigger

    def selector_names(self) -> Iterator[str]:
        if self.paginate:
            yield from self.paginate.selector_names()
