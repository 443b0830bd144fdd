"""Saved sessions: encrypted storage state per (portal, account), reused across runs.

* ``snapshot``: cookies + localStorage + sessionStorage of a context, and back;
* ``vault``: the encrypted files under ``<state>/sessions``;
* ``lock``: one login at a time per account, across processes;
* ``manager``: reuse when healthy, otherwise log in under the lock.
"""

from __future__ import annotations

from portwright.auth.sessions.lock import AccountLocks
from portwright.auth.sessions.manager import (
    EnsureOutcome,
    HealthCheck,
    LoginProcedure,
    SessionManager,
)
from portwright.auth.sessions.snapshot import StorageSnapshot, capture, install, restore
from portwright.auth.sessions.vault import SavedSession, SessionVault

__all__ = [
    "AccountLocks",
    "EnsureOutcome",
    "HealthCheck",
    "LoginProcedure",
    "SavedSession",
    "SessionManager",
    "SessionVault",
    "StorageSnapshot",
    "capture",
    "install",
    "restore",
]
