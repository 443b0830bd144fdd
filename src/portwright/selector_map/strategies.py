"""Strategy → Playwright locator. Building a locator is local (no browser round trip)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import FrameLocator, Locator, Page

from portwright.selector_map.model import (
    CssStrategy,
    LabelStrategy,
    PlaceholderStrategy,
    RoleStrategy,
    TestIdStrategy,
    TextStrategy,
    XpathStrategy,
)

__all__ = ["describe", "first_invalid", "invalid_reason", "locator_for"]

#: where a strategy is looked for: the page, an element (a scope, a row) or the document
#: of an <iframe>
Base = Page | Locator | FrameLocator

_BUILDERS: dict[type[Any], Callable[[Base, Any], Locator]] = {
    RoleStrategy: lambda b, s: b.get_by_role(s.role, name=s.name, exact=s.exact)
    if s.name is not None else b.get_by_role(s.role),
    LabelStrategy: lambda b, s: b.get_by_label(s.label, exact=s.exact),
    PlaceholderStrategy: lambda b, s: b.get_by_placeholder(s.placeholder, exact=s.exact),
    TestIdStrategy: lambda b, s: b.get_by_test_id(s.test_id),
    TextStrategy: lambda b, s: b.get_by_text(s.text, exact=s.exact),
    CssStrategy: lambda b, s: b.locator(s.css),
    XpathStrategy: lambda b, s: b.locator(f"xpath={s.xpath}"),
}


def locator_for(base: Base, strategy: Any) -> Locator:
    """The locator for one strategy, relative to ``base`` (page, scope element or
    frame)."""
    return _BUILDERS[type(strategy)](base, strategy)


def describe(strategy: Any) -> str:
    """Short text for logs and errors, e.g. ``role=button[name="Save"]``."""
    return str(strategy.describe())


#: what the browser (or Playwright's own selector parser) says of a selector it cannot
#: parse; a locator call prefixes it with its name (``Locator.count: ``), an ``expect``
#: assertion puts it on a line of its own (``Error: ``)
_INVALID = re.compile(r"^InvalidSelectorError\b|while parsing (?:css )?selector"
                      r"|is not a valid (?:selector|XPath expression)")
_PREFIX = re.compile(r"^(?:[A-Z]\w*\.\w+: |Error: )")


def invalid_reason(error: BaseException | str) -> str | None:
    """The browser's first line about a selector it cannot parse, when that is what
    ``error`` (a Playwright error or an ``expect`` assertion) says; else None."""
    for line in str(error).splitlines()[:4]:
        line = _PREFIX.sub("", line.strip())
        if _INVALID.search(line):
            return line
    return None


async def first_invalid(base: Base, strategies: Sequence[Any]) -> tuple[int, str] | None:
    """(index, reason) of the first of ``strategies`` the browser cannot parse, counted
    within ``base``; None when every one parses. Other Playwright errors (the page went
    away) propagate."""
    for index, strategy in enumerate(strategies):
        try:
            await locator_for(base, strategy).count()
        except PlaywrightError as exc:
            reason = invalid_reason(exc)
            if reason is None:
                raise
            return index, reason
    return None
