"""One login at a time per account, across processes.

Portals that end an account's older session when it logs in again (common in EHRs)
punish parallel runs that each log in: the second login kills the first run. Holding
this lock while logging in — and re-reading the saved session once it is acquired —
makes the second process reuse the first one's fresh session instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from portwright.auth.credentials.naming import SecretKey
from portwright.exceptions import AuthError

__all__ = ["AccountLocks"]


class AccountLocks:
    """File locks under ``<state>/locks/<portal>/<account>.lock``."""

    def __init__(self, state_dir: Path, *, timeout_s: float = 300.0) -> None:
        self.root = state_dir / "locks"
        self.timeout_s = timeout_s

    def path(self, portal: str, account: str) -> Path:
        SecretKey(portal=portal, name="lock", account=account)
        return self.root / portal / f"{account}.lock"

    @asynccontextmanager
    async def hold(self, portal: str, account: str) -> AsyncIterator[None]:
        path = self.path(portal, account)
        path.parent.mkdir(parents=True, exist_ok=True)
        # A new FileLock (own file descriptor) per holder: flock then excludes other tasks
        # of this process as well as other processes. Not re-entrant, on purpose.
        lock = FileLock(str(path), thread_local=False)
        try:
            await asyncio.to_thread(lock.acquire, timeout=self.timeout_s)
        except Timeout:
            raise AuthError(
                f"another process has been logging in {portal}/{account} for more than "
                f"{self.timeout_s:.0f} s",
                hint=f"check for a stuck portwright process; lock file {path}",
            ) from None
        try:
            yield
        finally:
            lock.release()
