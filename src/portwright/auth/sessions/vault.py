"""Saved sessions on disk: one Fernet-encrypted file per (portal, account).

A saved session is as good as a password while it lives (its cookies *are* the login),
so it is encrypted with the workspace key (see ``credentials.keyring``) and written
with mode 0600. ``<state>/sessions/<portal>/<account>.session``.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from portwright.auth.credentials.naming import SecretKey
from portwright.auth.sessions.snapshot import StorageSnapshot
from portwright.exceptions import CredentialError

__all__ = ["SavedSession", "SessionVault"]

_FORMAT_VERSION = 1


@dataclass
class SavedSession:
    """A logged-in account's storage, when it was saved and last found healthy."""

    portal: str
    account: str
    snapshot: StorageSnapshot
    saved_at: float
    checked_at: float | None = None
    portal_version: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "version": _FORMAT_VERSION,
            "portal": self.portal,
            "account": self.account,
            "saved_at": self.saved_at,
            "checked_at": self.checked_at,
            "portal_version": self.portal_version,
            "snapshot": self.snapshot.to_json(),
        }


class SessionVault:
    """Encrypted session files under ``<state>/sessions``."""

    def __init__(self, state_dir: Path, fernet_factory: Callable[[], Fernet]) -> None:
        self.root = state_dir / "sessions"
        self._fernet_factory = fernet_factory

    def path(self, portal: str, account: str) -> Path:
        SecretKey(portal=portal, name="session", account=account)  # validates both names
        return self.root / portal / f"{account}.session"

    def save(self, session: SavedSession) -> Path:
        path = self.path(session.portal, session.account)
        path.parent.mkdir(parents=True, exist_ok=True)
        token = self._fernet_factory().encrypt(json.dumps(session.to_json()).encode())
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(token)
        os.replace(tmp, path)
        return path

    def load(self, portal: str, account: str) -> SavedSession | None:
        path = self.path(portal, account)
        if not path.exists():
            return None
        return self._read(path)

    def _read(self, path: Path) -> SavedSession:
        try:
            data = json.loads(self._fernet_factory().decrypt(path.read_bytes()))
        except InvalidToken:
            raise CredentialError(
                f"cannot decrypt saved session {path}: wrong key or corrupted file",
                hint=f"drop it (`portwright sessions drop`) or restore the key; file {path}",
            ) from None
        return SavedSession(
            portal=str(data["portal"]),
            account=str(data["account"]),
            snapshot=StorageSnapshot.from_json(data["snapshot"]),
            saved_at=float(data["saved_at"]),
            checked_at=data.get("checked_at"),
            portal_version=data.get("portal_version"),
        )

    def mark_checked(self, session: SavedSession, at: float | None = None) -> None:
        session.checked_at = at if at is not None else time.time()
        self.save(session)

    def drop(self, portal: str, account: str) -> bool:
        path = self.path(portal, account)
        if path.exists():
            path.unlink()
            return True
        return False

    def all(self, portal: str | None = None) -> list[SavedSession]:
        """Every saved session (of one portal), sorted by portal and account."""
        if not self.root.is_dir():
            return []
        pattern = f"{portal}/*.session" if portal else "*/*.session"
        return [self._read(p) for p in sorted(self.root.glob(pattern))]
