"""Saved sessions on disk: one Fernet-encrypted file per (portal, account).

A saved session is as good as a password while it lives (its cookies *are* the login),
so it is encrypted with the workspace key (see ``credentials.keyring``) and written
with mode 0600. ``<state>/sessions/<portal>/<account>.session``.

It also carries a keyed fingerprint of the account's identity secrets (the username):
when the account is pointed at another user, the old user's session must not be reused
(see ``fingerprint``). Writes go through a short per-file lock so that recording "still
healthy" on an older session can never overwrite a newer one another process saved.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from filelock import FileLock

from portwright.auth.credentials.naming import SecretKey
from portwright.auth.sessions.fingerprint import Fingerprint
from portwright.auth.sessions.snapshot import StorageSnapshot
from portwright.exceptions import CredentialError
from portwright.private_file import make_private_dir, write_private_file

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
    #: keyed fingerprint of the identity secrets the session was logged in with
    identity: Fingerprint | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "version": _FORMAT_VERSION,
            "portal": self.portal,
            "account": self.account,
            "saved_at": self.saved_at,
            "checked_at": self.checked_at,
            "portal_version": self.portal_version,
            "identity": self.identity.to_json() if self.identity else None,
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

    @contextmanager
    def _writing(self, path: Path) -> Iterator[None]:
        make_private_dir(path.parent)
        with FileLock(str(path.with_name(f".{path.name}.lock")), thread_local=False):
            yield

    def _write(self, path: Path, session: SavedSession) -> None:
        token = self._fernet_factory().encrypt(json.dumps(session.to_json()).encode())
        write_private_file(path, token)

    def save(self, session: SavedSession) -> Path:
        path = self.path(session.portal, session.account)
        with self._writing(path):
            self._write(path, session)
        return path

    def load(self, portal: str, account: str) -> SavedSession | None:
        path = self.path(portal, account)
        if not path.exists():
            return None
        return self._read(path, (portal, account))

    def _read(self, path: Path, expected: tuple[str, str] | None = None) -> SavedSession:
        try:
            data = json.loads(self._fernet_factory().decrypt(path.read_bytes()))
        except InvalidToken:
            raise CredentialError(
                f"cannot decrypt saved session {path}: wrong key or corrupted file",
                hint=f"drop it (`portwright sessions drop`) or restore the key; file {path}",
            ) from None
        session = SavedSession(
            portal=str(data["portal"]),
            account=str(data["account"]),
            snapshot=StorageSnapshot.from_json(data["snapshot"]),
            saved_at=float(data["saved_at"]),
            checked_at=data.get("checked_at"),
            portal_version=data.get("portal_version"),
            identity=Fingerprint.from_json(data.get("identity")),
        )
        # A file copied or renamed from another account would sign runs in as that one.
        where = expected or (path.parent.name, path.stem)
        if (session.portal, session.account) != where:
            raise CredentialError(
                f"saved session {path} belongs to {session.portal}/{session.account}, "
                f"not {where[0]}/{where[1]}; refusing to use it",
                hint=f"drop it: portwright sessions drop {where[0]} --account {where[1]}",
            )
        return session

    def mark_checked(self, session: SavedSession, at: float | None = None) -> bool:
        """Record that ``session`` was found healthy — unless the file now holds a newer
        session (another process logged in meanwhile): that one is kept. Says whether it
        wrote."""
        session.checked_at = at if at is not None else time.time()
        path = self.path(session.portal, session.account)
        with self._writing(path):
            if not path.exists():
                return False
            current = self._read(path, (session.portal, session.account))
            if current.saved_at != session.saved_at:
                return False
            self._write(path, session)
        return True

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
