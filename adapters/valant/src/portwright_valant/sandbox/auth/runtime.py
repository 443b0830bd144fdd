"""Per-app auth state: the sandbox state, the auth clock, and database helpers.

``install_auth`` puts one ``AuthRuntime`` on ``app.state.auth``; route handlers and
dependencies reach it through the request, so two sandboxes in one process never mix.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from fastapi import Request

from portwright_valant.sandbox.auth.clock import Clock
from portwright_valant.sandbox.state import SandboxState

__all__ = ["AuthRuntime", "digest", "runtime_of"]


def digest(token: str) -> str:
    """What the database keeps of a bearer secret (cookie token, code): its sha256."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class AuthRuntime:
    state: SandboxState
    clock: Clock = field(default_factory=Clock)

    def now(self) -> float:
        return self.clock.now()

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        conn = self.state.connect()
        try:
            yield conn
        finally:
            conn.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One committed transaction, serialized with the sandbox's other writers."""
        conn = self.state.connect()
        try:
            with self.state.write_lock, conn:
                yield conn
        finally:
            conn.close()

    def event(self, conn: sqlite3.Connection, username: str, event: str, detail: str = "") -> None:
        conn.execute(
            "INSERT INTO auth_events (at, username, event, detail) VALUES (?, ?, ?, ?)",
            (self.now(), username, event, detail),
        )


def runtime_of(request: Request) -> AuthRuntime:
    rt = getattr(request.app.state, "auth", None)
    if not isinstance(rt, AuthRuntime):
        raise RuntimeError("install_auth(app, state) was not called for this app")
    return rt
