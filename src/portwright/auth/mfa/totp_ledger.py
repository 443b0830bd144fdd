"""Which TOTP time step each account last submitted, on disk, shared by all processes.

A portal that sees the same TOTP code twice (two runs in the same 30 s window, or a retry)
rejects the second one or, worse, flags the account. The ledger lives in the state
folder and is updated under a file lock, so the rule "never the same time step twice per
account" holds across processes, not only within one.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from portwright.exceptions import MfaError
from portwright.private_file import write_private_file

__all__ = ["TotpLedger"]


class TotpLedger:
    """``<state>/mfa/totp/<portal>/<account-hash>.json`` holding ``{"last_step": N}``."""

    def __init__(self, state_dir: Path, *, lock_timeout_s: float = 120.0) -> None:
        self.root = state_dir / "mfa" / "totp"
        self.lock_timeout_s = lock_timeout_s

    def _path(self, portal: str, account: str) -> Path:
        # Hash the account name: file names in a state folder should not reveal usernames.
        digest = hashlib.sha256(f"{portal}/{account}".encode()).hexdigest()[:24]
        return self.root / portal / f"{digest}.json"

    def last_step(self, portal: str, account: str) -> int | None:
        path = self._path(portal, account)
        if not path.exists():
            return None
        value = json.loads(path.read_text(encoding="utf-8")).get("last_step")
        return int(value) if value is not None else None

    def record(self, portal: str, account: str, step: int) -> None:
        # Whole or not at all: a half-written ledger would not parse, and every later
        # TOTP login of the account would stop on it.
        write_private_file(self._path(portal, account),
                           json.dumps({"last_step": step}).encode("utf-8"))

    @asynccontextmanager
    async def locked(self, portal: str, account: str) -> AsyncIterator[None]:
        """Hold the account's ledger lock (other processes wait) for the block."""
        path = self._path(portal, account)
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(path.with_suffix(".lock")))
        try:
            await asyncio.to_thread(lock.acquire, timeout=self.lock_timeout_s)
        except Timeout:
            raise MfaError(
                f"another process held the TOTP lock for {portal} longer than "
                f"{self.lock_timeout_s:.0f} s",
                hint=f"check for a stuck portwright process; lock file {lock.lock_file}",
            ) from None
        try:
            yield
        finally:
            lock.release()
