"""One login at a time per account, across processes.

Portals that end an account's older session when it logs in again (common in EHRs)
punish parallel runs that each log in: the second login kills the first run. Holding
this lock while logging in — and re-reading the saved session once it is acquired —
makes the second process reuse the first one's fresh session instead.

Within one process the file lock alone could deadlock: a task holding it may be waiting
for the session's run lock, held by a flow of another task that is recovering from an
expired session — and recovery needs the account lock too. So a recovery running inside
the session (``borrow=True``) goes ahead under the hold of another task of this process
instead of waiting for it: that holder cannot touch the browser context until the
recovering run lets go of the session. (Hence one ``AccountLocks`` — one
``SessionManager`` — per engine.)
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from portwright.auth.credentials.naming import SecretKey
from portwright.exceptions import AuthError
from portwright.private_file import make_private_dir

__all__ = ["AccountLocks"]

#: how often a borrowing waiter looks whether a task of this process got the lock
_BORROW_POLL_S = 0.1


class AccountLocks:
    """File locks under ``<state>/locks/<portal>/<account>.lock``."""

    def __init__(self, state_dir: Path, *, timeout_s: float = 300.0) -> None:
        self.root = state_dir / "locks"
        self.timeout_s = timeout_s
        #: accounts whose file lock a task of this process holds right now
        self._held: set[tuple[str, str]] = set()

    def path(self, portal: str, account: str) -> Path:
        SecretKey(portal=portal, name="lock", account=account)
        return self.root / portal / f"{account}.lock"

    async def _acquire(self, lock: FileLock, who: str, borrowable: Callable[[], bool]
                       ) -> bool:
        """Take ``lock``; False (not taken) as soon as ``borrowable()`` says another task
        of this process holds it."""
        deadline = time.monotonic() + self.timeout_s
        while True:
            if borrowable():
                return False
            left = deadline - time.monotonic()
            if left <= 0:
                raise AuthError(
                    f"another process has been logging in {who} for more than "
                    f"{self.timeout_s:.0f} s",
                    hint=f"check for a stuck portwright process; lock file {lock.lock_file}",
                )
            try:
                await asyncio.to_thread(lock.acquire, timeout=min(left, _BORROW_POLL_S))
                return True
            except Timeout:
                continue

    @asynccontextmanager
    async def hold(self, portal: str, account: str, *, borrow: bool = False
                   ) -> AsyncIterator[None]:
        """Hold the account's lock for the block.

        ``borrow``: the caller runs inside the account's session (it holds the session's
        run lock). If another task of this process holds the lock — it is then parked on
        that session — the caller proceeds under that hold instead of waiting for a
        release that would never come.
        """
        key = (portal, account)
        path = self.path(portal, account)
        make_private_dir(path.parent)  # may be the first thing made in the state folder
        # A new FileLock (own file descriptor) per holder: flock then excludes other tasks
        # of this process as well as other processes. Not re-entrant, on purpose.
        lock = FileLock(str(path), thread_local=False)
        who = f"{portal}/{account}"
        taken = await self._acquire(lock, who, lambda: borrow and key in self._held)
        if not taken:
            yield
            return
        self._held.add(key)
        try:
            yield
        finally:
            self._held.discard(key)
            lock.release()
