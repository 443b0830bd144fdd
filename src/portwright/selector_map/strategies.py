"""Strategy → Playwright locator. Building a locator is local (no browser round trip)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.async_api import Locator, Page

from portwright.selector_map.model import (
    CssStrategy,
    LabelStrategy,
    PlaceholderStrategy,
    RoleStrategy,
    TestIdStrategy,
    TextStrategy,
    XpathStrategy,
)

__all__ = ["describe", "locator_for"]

Base = Page | Locator

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
    """The locator for one strategy, relative to ``base`` (page or scope element)."""
    return _BUILDERS[type(strategy)](base, strategy)


def describe(strategy: Any) -> str:
    """Short text for logs and errors, e.g. ``role=button[name="Save"]``."""
    return str(strategy.describe())
