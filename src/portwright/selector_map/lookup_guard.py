"""The hook through which the running step vets each name it looks up.

A step may only look up names of the page it expects; when the portal has shown its
sign-in page instead (the session ended), the guard raises ``SessionExpired`` before any
strategy is counted, so the failure is not mistaken for drift of the map (see
``portwright.auth.sign_in_page``). It lives apart from the resolver because the runner
sets it around each step without needing the resolver itself.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from portwright.selector_map.resolver import Resolver

__all__ = ["LookupGuard", "lookup_guard"]


class LookupGuard(Protocol):
    """Told of each name the running step looks up; raises when the page cannot show it
    (the portal showed its sign-in page: see ``portwright.auth.sign_in_page``)."""

    def looked_up(self, resolver: Resolver, name: str) -> None: ...


#: the running step's guard. A context variable, not an attribute: the resolver is shared
#: by a run and its subflows and made by the first step that names an element, while the
#: guard belongs to the step running now (set by the runner around each step).
lookup_guard: ContextVar[LookupGuard | None] = ContextVar("portwright_lookup_guard",
                                                          default=None)
