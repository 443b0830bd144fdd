"""Portal sessions: an HttpOnly cookie naming a row in ``sessions``, with an idle timeout.

A session ends by logout, by idling longer than ``session_ttl_s`` ("expired"), by a newer
login of the same account when ``single_session`` is on ("replaced"), or by the
``expire_sessions_every`` fault ("fault"). Ended rows stay, so tests can see why.
"""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass

from starlette.responses import Response

from portwright_valant.sandbox.auth.runtime import AuthRuntime, digest
from portwright_valant.sandbox.auth.users import User, user_by_id

__all__ = [
    "SESSION_COOKIE",
    "Resolution",
    "clear_session_cookie",
    "end_all_sessions",
    "end_session",
    "resolve_session",
    "set_session_cookie",
    "start_session",
]

SESSION_COOKIE = "vl_session"


@dataclass(frozen=True)
class Resolution:
    """A live session's user, or why there is none (``missing`` / ``expired`` / ``replaced``...)."""

    user: User | None
    reason: str = ""


def start_session(rt: AuthRuntime, conn: sqlite3.Connection, user_id: int, via: str) -> str:
    """Create a session (ending older ones in single-session mode); returns the cookie token."""
    now = rt.now()
    if rt.state.config.single_session:
        conn.execute(
            "UPDATE sessions SET ended_at = ?, ended_reason = 'replaced'"
            " WHERE user_id = ? AND ended_at IS NULL",
            (now, user_id),
        )
    token = secrets.token_urlsafe(32)
    conn.execute(
        "INSERT INTO sessions (id, user_id, created_at, last_seen, via) VALUES (?, ?, ?, ?, ?)",
        (digest(token), user_id, now, now, via),
    )
    return token


def resolve_session(rt: AuthRuntime, token: str | None) -> Resolution:
    """The user behind ``token``; ends it if idle too long, otherwise refreshes ``last_seen``."""
    if not token:
        return Resolution(None, "missing")
    sid = digest(token)
    now = rt.now()
    with rt.write() as conn:
        row = conn.execute("SELECT * FROM sessions WHERE id = ?", (sid,)).fetchone()
        if row is None:
            return Resolution(None, "missing")
        if row["ended_at"] is not None:
            return Resolution(None, str(row["ended_reason"]))
        if now - row["last_seen"] > rt.state.config.session_ttl_s:
            conn.execute(
                "UPDATE sessions SET ended_at = ?, ended_reason = 'expired' WHERE id = ?",
                (now, sid),
            )
            return Resolution(None, "expired")
        conn.execute("UPDATE sessions SET last_seen = ? WHERE id = ?", (now, sid))
        return Resolution(user_by_id(conn, row["user_id"]))


def end_session(rt: AuthRuntime, token: str | None, reason: str = "logout") -> None:
    if not token:
        return
    with rt.write() as conn:
        conn.execute(
            "UPDATE sessions SET ended_at = ?, ended_reason = ? WHERE id = ? AND ended_at IS NULL",
            (rt.now(), reason, digest(token)),
        )


def end_all_sessions(rt: AuthRuntime, reason: str) -> int:
    """End every live session (the sudden-expiry fault); returns how many ended."""
    with rt.write() as conn:
        cur = conn.execute(
            "UPDATE sessions SET ended_at = ?, ended_reason = ? WHERE ended_at IS NULL",
            (rt.now(), reason),
        )
        return cur.rowcount


def set_session_cookie(response: Response, token: str) -> None:
    # No Max-Age: a browser-session cookie; the server enforces the idle timeout.
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", path="/")


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")
