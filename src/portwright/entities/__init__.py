"""Normalized entities every portal's output conforms to (pydantic v2, camelCase JSON)."""

from __future__ import annotations

from portwright.entities.base import EntityModel

__all__ = ["EntityModel"]
