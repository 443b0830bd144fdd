"""Request-scoped helpers every page uses: the sandbox state and a database connection."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from fastapi import Request

from portwright_valant.sandbox.state import SandboxState

__all__ = ["ALL_ROLES", "BILLING", "CLINICAL", "FRONT_DESK", "MAX_PAGE", "db", "state_of"]

ALL_ROLES = ("admin", "scheduler", "clinician", "biller")
FRONT_DESK = ("admin", "scheduler")
CLINICAL = ("admin", "clinician")
BILLING = ("admin", "biller")
#: the highest ``page`` a list accepts: its row offset must fit SQLite's 64-bit OFFSET
MAX_PAGE = 1_000_000_000


def state_of(request: Request) -> SandboxState:
    state: SandboxState = request.app.state.sandbox
    return state


def db(request: Request) -> Iterator[sqlite3.Connection]:
    """A connection for this request, closed afterwards."""
    conn = state_of(request).connect()
    try:
        yield conn
    finally:
        conn.close()
