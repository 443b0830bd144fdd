"""The canary monitor: replays flows against the live portal and reports UI drift."""

from __future__ import annotations

__all__: list[str] = []
