""""Remember this device": a 30-day cookie that lets its browser skip MFA for one account."""

from __future__ import annotations

import secrets
import sqlite3

from starlette.responses import Response

from portwright_valant.sandbox.auth.runtime import AuthRuntime, digest

__all__ = ["DEVICE_COOKIE", "REMEMBER_S", "is_remembered", "remember_device"]

DEVICE_COOKIE = "vl_device"
REMEMBER_S = 30 * 86400


def remember_device(
    rt: AuthRuntime, conn: sqlite3.Connection, user_id: int, response: Response
) -> None:
    token = secrets.token_urlsafe(32)
    now = rt.now()
    conn.execute(
        "INSERT INTO remembered_devices (id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
        (digest(token), user_id, now, now + REMEMBER_S),
    )
    response.set_cookie(DEVICE_COOKIE, token, max_age=REMEMBER_S, httponly=True,
                        samesite="lax", path="/")


def is_remembered(rt: AuthRuntime, conn: sqlite3.Connection, token: str | None,
                  user_id: int) -> bool:
    if not token:
        return False
    row = conn.execute(
        "SELECT expires_at FROM remembered_devices WHERE id = ? AND user_id = ?",
        (digest(token), user_id),
    ).fetchone()
    return row is not None and row["expires_at"] > rt.now()
