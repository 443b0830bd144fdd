"""Make a browser context logged in for (portal, account), logging in only when needed.

The order of things is what makes sessions survive real portals:

1. the context starts with the saved session installed; the cheap health check says
   whether it still works — if so, done, no login at all (the common, fast path);
2. otherwise take the account's cross-process lock, then *read the saved session again*:
   another process may have logged in while we waited — install and check that one;
3. only then log in, capture the storage state, save it encrypted, release the lock.

Tasks of one process share the browser context of an account, so ``serial()`` gives
the caller one asyncio lock per account to hold across all three steps (a second task
then finds the first one's session healthy instead of clearing its cookies mid-flow),
and every direct touch of the context (clearing, installing, capturing) happens under
the target's ``guard`` — the session's run lock — never in the middle of another flow.

A saved session is reused only by the identity it was logged in with (a keyed
fingerprint of the username), and credentials the portal refused are not tried again
until they change (``refusals``). A session that expires mid-flow goes through the same
``ensure`` with ``known_bad`` (and ``in_run``: the caller holds the session already).
How to log in and how to check health are callables (normally: run the portal's login
flow and its health-check flow), so this module knows no portal and no engine.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.fernet import Fernet

from portwright.auth.credentials.keyring import load_fernet
from portwright.auth.sessions.fingerprint import Fingerprint
from portwright.auth.sessions.lock import AccountLocks
from portwright.auth.sessions.refusals import RefusedLogins
from portwright.auth.sessions.snapshot import capture, install
from portwright.auth.sessions.vault import SavedSession, SessionVault
from portwright.exceptions import LoginFailed

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext

__all__ = ["EnsureOutcome", "HealthCheck", "LoginProcedure", "LoginTarget", "SessionManager"]

#: runs the portal's login in the context (raises LoginFailed / MfaError ...)
LoginProcedure = Callable[[], Awaitable[None]]
#: True when the context is logged in (must be cheap: one page or JSON endpoint)
HealthCheck = Callable[[], Awaitable[bool]]


def _unguarded() -> AbstractAsyncContextManager[Any]:
    return contextlib.nullcontext()


@dataclass(frozen=True)
class LoginTarget:
    """One account's context and what ``ensure`` needs to keep it logged in."""

    context: BrowserContext
    portal: str
    account: str
    login: LoginProcedure
    health: HealthCheck
    #: held while ensure touches the context itself: the session's run lock, so no flow
    #: is between steps; nothing when the caller holds that lock already (recovery)
    guard: Callable[[], AbstractAsyncContextManager[Any]] = _unguarded
    #: the account's identity secrets (name → value, e.g. the username): a saved session
    #: logged in as someone else is not reused
    identity: Mapping[str, str] = field(default_factory=dict)
    #: what the portal checks at sign-in (identity and password): refused ones are
    #: not tried again until they change
    credentials: Mapping[str, str] = field(default_factory=dict)
    #: the portal URL the account signs in at: a session saved at another URL is not
    #: reused, and the one saved here records it (None: not checked)
    portal_url: str | None = None


@dataclass(frozen=True)
class EnsureOutcome:
    """What ``ensure`` did: ``reused`` a saved session, or ``logged_in`` anew."""

    saved: SavedSession
    logged_in: bool

    @property
    def reused(self) -> bool:
        return not self.logged_in


class SessionManager:
    """Saved sessions, health checks and serialized logins for every account (of one
    engine: the in-process locks assume one browser context per account)."""

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
        self.refusals = RefusedLogins(state_dir, factory)
        self._now = now
        self._serial: dict[tuple[str, str], asyncio.Lock] = {}
        #: counters a caller (or a test) can read
        self.logins = 0
        self.reuses = 0

    def serial(self, portal: str, account: str) -> asyncio.Lock:
        """The in-process lock a caller holds across a whole ``ensure`` of the account
        (never a caller inside a run of the account: it would wait on itself)."""
        return self._serial.setdefault((portal, account), asyncio.Lock())

    def load(self, portal: str, account: str, identity: Mapping[str, str] | None = None,
             *, portal_url: str | None = None) -> SavedSession | None:
        """The saved session a run can use; with ``identity``, only if it was logged in as
        that identity (a session of another identity is dropped: it would act as the wrong
        user). A file that cannot be read (damaged, another key, another format) or an
        expired session counts as nothing saved: the account signs in afresh and the new
        session replaces it, instead of every run failing until someone drops the file.
        With ``portal_url``, a session signed in at another URL counts as nothing saved
        too (kept: the next login at this URL replaces it)."""
        saved = self.vault.load_usable(portal, account, self._now())
        if saved is not None and not saved.for_url(portal_url):
            return None
        if saved is None or identity is None:
            return saved
        if identity and (saved.identity is None or not saved.identity.matches(identity)):
            self.vault.drop(portal, account)
            return None
        return saved

    async def _adopt(self, target: LoginTarget, saved: SavedSession) -> bool:
        async with target.guard():
            await target.context.clear_cookies()
            await install(target.context, saved.snapshot)
        if await target.health():
            self.vault.mark_checked(saved, self._now())
            self.reuses += 1
            return True
        return False

    async def ensure(
        self,
        target: LoginTarget,
        *,
        installed: SavedSession | None,
        known_bad: bool = False,
        force: bool = False,
        in_run: bool = False,
    ) -> EnsureOutcome:
        """Leave ``target.context`` logged in; ``installed`` is the saved session it carries.

        ``known_bad``: the caller already saw the session fail (mid-flow expiry), so
        the first health check is skipped. ``force``: log in even if a saved session
        works, and even with credentials the portal refused before. ``in_run``: the
        caller runs inside the account's session (recovery).
        """
        if not (known_bad or force) and await target.health():
            if installed is None:  # signed in by other means (a flow's own login step)
                return EnsureOutcome(await self.save(target), logged_in=False)
            self.vault.mark_checked(installed, self._now())
            self.reuses += 1
            return EnsureOutcome(installed, logged_in=False)
        async with self.locks.hold(target.portal, target.account, borrow=in_run):
            if not force:
                saved = self.load(target.portal, target.account, target.identity,
                                  portal_url=target.portal_url)
                newer = saved is not None and (
                    installed is None or saved.saved_at > installed.saved_at
                )
                if saved is not None and newer and await self._adopt(target, saved):
                    return EnsureOutcome(saved, logged_in=False)
                self.refusals.check(target.portal, target.account, target.credentials)
            async with target.guard():
                await target.context.clear_cookies()
            try:
                await target.login()
            except LoginFailed:
                self.refusals.record(target.portal, target.account, target.credentials)
                raise
            self.refusals.clear(target.portal, target.account)
            self.logins += 1
            return EnsureOutcome(await self.save(target), logged_in=True)

    async def save(self, target: LoginTarget) -> SavedSession:
        """Capture the target's context and save it as the account's session."""
        async with target.guard():
            snapshot = await capture(target.context)
        now = self._now()
        saved = SavedSession(
            portal=target.portal,
            account=target.account,
            snapshot=snapshot,
            saved_at=now,
            checked_at=now,
            identity=Fingerprint.of(target.identity) if target.identity else None,
            portal_url=target.portal_url,
        )
        self.vault.save(saved)
        return saved

    def drop(self, portal: str, account: str) -> bool:
        return self.vault.drop(portal, account)
