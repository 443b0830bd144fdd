"""The signed-in user as route handlers see it."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

__all__ = ["User", "user_by_id", "user_by_login"]


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    role: str
    email: str
    mfa_method: str


def _from_row(row: sqlite3.Row) -> User:
    return User(row["id"], row["username"], row["display_name"], row["role"], row["email"],
                row["mfa_method"])


def user_by_id(conn: sqlite3.Connection, user_id: int) -> User | None:
    row = conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
    return _from_row(row) if row else None


def user_by_login(conn: sqlite3.Connection, login: str) -> sqlite3.Row | None:
    """The full row for a username or email (case-insensitive), as the login form accepts."""
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM users WHERE lower(username) = lower(?) OR lower(email) = lower(?)",
        (login.strip(), login.strip()),
    ).fetchone()
    return row
