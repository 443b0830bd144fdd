"""Ids for entities created while the portal runs: same ``<prefix>_<6 hex>`` shape as seeds."""

from __future__ import annotations

import secrets
import sqlite3
from datetime import UTC, datetime

__all__ = ["new_id", "utc_now"]


def new_id(conn: sqlite3.Connection, prefix: str, table: str) -> str:
    """A fresh id not yet used in ``table`` (``table`` is a fixed name from our code)."""
    while True:
        candidate = f"{prefix}_{secrets.token_hex(3)}"
        if conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (candidate,)).fetchone() is None:
            return candidate


def utc_now() -> str:
    """Now as stored: ``2026-11-30T19:16:15Z``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
