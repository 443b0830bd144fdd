"""The live state of one running sandbox: its config, database file and in-memory logs.

The app keeps it on ``app.state.sandbox``; route handlers and the test fixtures share it,
so a test can read exactly what the portal wrote and which requests it served.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portwright_valant.sandbox.config import SandboxConfig

__all__ = ["RequestLogEntry", "SandboxState"]


@dataclass(frozen=True)
class RequestLogEntry:
    """One served request. Only method, path (no query string), status and timing: no PHI."""

    method: str
    path: str
    status: int
    duration_ms: float
    at: str


@dataclass
class SandboxState:
    """Config + database path + the request log and the SMS outbox (the fake Twilio's store)."""

    config: SandboxConfig
    db_path: Path
    request_log: list[RequestLogEntry] = field(default_factory=list)
    sms_outbox: list[dict[str, Any]] = field(default_factory=list)
    #: serializes writers so a form post is one transaction even under concurrent requests
    write_lock: threading.Lock = field(default_factory=threading.Lock)

    def connect(self) -> sqlite3.Connection:
        """A new connection (rows as ``sqlite3.Row``); callers close it.

        Connections are cheap in SQLite and not shareable across threads, so each
        request opens its own.
        """
        conn = sqlite3.connect(self.db_path, timeout=10, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 10000")
        return conn
