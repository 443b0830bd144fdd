"""One entry of the resolution log: how a logical name was found (or not) on a page.

Kept apart from the resolver that writes it because many readers need the record without
the browser machinery: run results carry the log, drift reports and ``selectors check``
read which strategy matched, and the session's memory stores and replays entries.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

__all__ = ["Outcome", "Resolution"]

#: ``absent``: a ``probe`` (e.g. ``if visible``) found nothing, which is an answer, not a
#: failure; ``empty``: a list name matched zero elements.
#: ``unverified``: the action succeeded but the page moved on before the strategy that
#: matched could be determined. ``invalid``: a strategy (``index``) the browser cannot
#: parse; the run fails with ``SelectorInvalid``.
Outcome = Literal["primary", "fallback", "missing", "ambiguous", "empty", "absent",
                  "unverified", "invalid"]


@dataclass(frozen=True)
class Resolution:
    """One resolution: which strategy found ``name``, how many matched, how long it took."""

    name: str
    strategy: str | None
    index: int | None
    count: int
    ms: float
    outcome: Outcome
    url: str
    #: the session's recent answer for this name on this page, not asked again
    reused: bool = False
    #: the logical name of the <iframe> the name was looked for in (None: the page)
    frame: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
