"""Get a logged-in browser context for (portal, account), logging in only when needed.

The order of things is what makes sessions survive real portals:

1. load the saved session, restore it into a new context, run the cheap health check;
   healthy → done, no login at all (the common, fast path);
2. otherwise take the account's cross-process lock, then *read the saved session again*:
   another process may have logged in while we waited — health-check that one first;
3. only then log in, capture the storage state, save it encrypted, release the lock.

``relogin`` does the same inside an existing context when a session expires mid-flow.
How to log in and how to check health are given as callables (normally: run the
portal's login flow and its health-check flow), so this module knows no portal.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.fernet import Fernet

from portwright.auth.credentials.keyring import load_fernet
from portwright.auth.sessions.lock import AccountLocks
from portwright.auth.sessions.snapshot import capture, install, restore
from portwright.auth.sessions.vault import SavedSession, SessionVault

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext

__all__ = ["HealthCheck", "LoginProcedure", "OpenedSession", "SessionManager"]

#: runs the portal's login in the given context (raises LoginFailed / MfaError...)
LoginProcedure = Callable[["BrowserContext"], Awaitable[None]]
#: True when the context is logged in (must be cheap: one page or JSON endpoint)
HealthCheck = Callable[["BrowserContext"], Awaitable[bool]]


@dataclass
class OpenedSession:
    """A context ready to use, and whether it came from a saved session or a fresh login."""

    context: BrowserContext
    saved: SavedSession
    reused: bool


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
        #: counters a caller (or a test) can read: logins done, sessions reused
        self.logins = 0
        self.reuses = 0

    async def _healthy(self, context: BrowserContext, check: HealthCheck) -> bool:
        return await check(context)

    async def _try_saved(
        self,
        browser: Browser,
        saved: SavedSession | None,
        health: HealthCheck,
        options: dict[str, Any],
    ) -> OpenedSession | None:
        if saved is None:
            return None
        context = await restore(browser, saved.snapshot, **options)
        try:
            ok = await self._healthy(context, health)
        except BaseException:
            await context.close()
            raise
        if not ok:
            await context.close()
            return None
        self.vault.mark_checked(saved, self._now())
        self.reuses += 1
        return OpenedSession(context=context, saved=saved, reused=True)

    async def open(
        self,
        browser: Browser,
        portal: str,
        account: str,
        *,
        login: LoginProcedure,
        health: HealthCheck,
        context_options: dict[str, Any] | None = None,
        force_login: bool = False,
    ) -> OpenedSession:
        """A logged-in context for ``account``: reused if healthy, else a fresh login."""
        options = dict(context_options or {})
        if not force_login:
            opened = await self._try_saved(
                browser, self.vault.load(portal, account), health, options
            )
            if opened is not None:
                return opened
        async with self.locks.hold(portal, account):
            saved = self.vault.load(portal, account)
            if saved is not None and not force_login:
                opened = await self._try_saved(browser, saved, health, options)
                if opened is not None:
                    return opened
            context = await browser.new_context(**options)
            try:
                saved = await self._login_and_save(context, portal, account, login)
            except BaseException:
                await context.close()
                raise
            return OpenedSession(context=context, saved=saved, reused=False)

    async def _login_and_save(
        self, context: BrowserContext, portal: str, account: str, login: LoginProcedure
    ) -> SavedSession:
        await login(context)
        self.logins += 1
        return await self.save(context, portal, account)

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

    async def relogin(
        self,
        context: BrowserContext,
        portal: str,
        account: str,
        *,
        login: LoginProcedure,
        health: HealthCheck,
        stale: SavedSession | None = None,
    ) -> SavedSession:
        """Make ``context`` logged in again after its session expired mid-flow.

        Under the account lock: if another process saved a newer session than the one
        this context was using (``stale``), adopt it when healthy; otherwise log in
        here and save.
        """
        async with self.locks.hold(portal, account):
            saved = self.vault.load(portal, account)
            if saved is not None and (stale is None or saved.saved_at > stale.saved_at):
                await context.clear_cookies()
                await install(context, saved.snapshot)
                if await self._healthy(context, health):
                    self.vault.mark_checked(saved, self._now())
                    self.reuses += 1
                    return saved
            await context.clear_cookies()
            return await self._login_and_save(context, portal, account, login)

    def drop(self, portal: str, account: str) -> bool:
        return self.vault.drop(portal, account)

