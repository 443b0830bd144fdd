"""Make a browser context logged in for (portal, account), logging in only when needed.

The order of things is what makes sessions survive real portals:

1. the context starts with the saved session installed; the cheap health check says
   whether it still works — if so, done, no login at all (the common, fast path);
2. otherwise take the account's cross-process lock, then *read the saved session again*:
   another process may have logged in while we waited — install and check that one;
3. only then log in, capture the storage state, save it encrypted, release the lock.

A session that expires mid-flow goes through the same ``ensure`` with ``known_bad``.
How to log in and how to check health are callables (normally: run the portal's login
flow and its health-check flow), so this module knows no portal and no engine.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.fernet import Fernet

from portwright.auth.credentials.keyring import load_fernet
from portwright.auth.sessions.lock import AccountLocks
from portwright.auth.sessions.snapshot import capture, install
from portwright.auth.sessions.vault import SavedSession, SessionVault

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext

__all__ = ["EnsureOutcome", "HealthCheck", "LoginProcedure", "SessionManager"]

#: runs the portal's login in the context (raises LoginFailed / MfaError ...)
LoginProcedure = Callable[[], Awaitable[None]]
#: True when the context is logged in (must be cheap: one page or JSON endpoint)
HealthCheck = Callable[[], Awaitable[bool]]


@dataclass(frozen=True)
class EnsureOutcome:
    """What ``ensure`` did: ``reused`` a saved session, or ``logged_in`` anew."""

    saved: SavedSession
    logged_in: bool

    @property
    def reused(self) -> bool:
        return not self.logged_in


class SessionManager:
    """Saved sessions, health checks and serialized logins for every account."""

    def __init__(
        self,
        state_dir: Path,
        *,
        fernet_factory: Callable[[], Fernet] | None = None,
        lock_timeout_s: float = 300.0,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.state_dir = state_dir
        factory = fernet_factory or (lambda: load_fernet(state_dir, create=True))
        self.vault = SessionVault(state_dir, factory)
        self.locks = AccountLocks(state_dir, timeout_s=lock_timeout_s)
        self._now = now
        #: counters a caller (or a test) can read
        self.logins = 0
        self.reuses = 0

    def load(self, portal: str, account: str) -> SavedSession | None:
        return self.vault.load(portal, account)

    async def _adopt(
        self, context: BrowserContext, saved: SavedSession, health: HealthCheck
    ) -> bool:
        await context.clear_cookies()
        await install(context, saved.snapshot)
        if await health():
            self.vault.mark_checked(saved, self._now())
            self.reuses += 1
            return True
        return False

    async def ensure(
        self,
        context: BrowserContext,
        portal: str,
        account: str,
        *,
        login: LoginProcedure,
        health: HealthCheck,
        installed: SavedSession | None,
        known_bad: bool = False,
    ) -> EnsureOutcome:
        """Leave ``context`` logged in; ``installed`` is the saved session it carries.

        ``known_bad``: the caller already saw the session fail (mid-flow expiry), so
        the first health check is skipped.
        """
        if not known_bad and await health():
            if installed is None:  # signed in by other means (a flow's own login step)
                return EnsureOutcome(await self.save(context, portal, account), logged_in=False)
            self.vault.mark_checked(installed, self._now())
            self.reuses += 1
            return EnsureOutcome(installed, logged_in=False)
        async with self.locks.hold(portal, account):
            saved = self.vault.load(portal, account)
            newer = saved is not None and (
                installed is None or saved.saved_at > installed.saved_at
            )
            if saved is not None and newer and await self._adopt(context, saved, health):
                return EnsureOutcome(saved, logged_in=False)
            await context.clear_cookies()
            await login()
            self.logins += 1
            return EnsureOutcome(await self.save(context, portal, account), logged_in=True)

    async def save(self, context: BrowserContext, portal: str, account: str) -> SavedSession:
        """Capture ``context`` and save it as the account's session."""
        now = self._now()
        saved = SavedSession(
            portal=portal,
            account=account,
            snapshot=await capture(context),
            saved_at=now,
            checked_at=now,
        )
        self.vault.save(saved)
        return saved

    def drop(self, portal: str, account: str) -> bool:
        return self.vault.drop(portal, account)
