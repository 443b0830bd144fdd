"""Saved sessions on disk: one Fernet-encrypted file per (portal, account).

A saved session is as good as a password while it lives (its cookies *are* the login),
so it is encrypted with the workspace key (see ``credentials.keyring``) and written
with mode 0600. ``<state>/sessions/<portal>/<account>.session``.

It also carries a keyed fingerprint of the account's identity secrets (the username):
when the account is pointed at another user, the old user's session must not be reused
(see ``fingerprint``). Writes go through a short per-file lock so that recording "still
healthy" on an older session can never overwrite a newer one another process saved.

A saved session is a cache of a login, never the only copy of anything: a file that can
no longer be read (damaged, cut short by a crash of an older writer, encrypted with a key
since replaced, written in another format version) is a clear ``CredentialError`` when
asked for directly, and simply "nothing saved" where a run needs a session
(``load_usable``): the run signs in afresh and the new session replaces the file.
A session whose every cookie has expired can sign no one in; it is pruned the same way.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.fernet import Fernet, InvalidToken
from filelock import FileLock

from portwright.auth.credentials.naming import SecretKey
from portwright.auth.sessions.fingerprint import Fingerprint
from portwright.auth.sessions.snapshot import StorageSnapshot
from portwright.exceptions import CredentialError
from portwright.private_file import make_private_dir, write_private_file

__all__ = ["SavedSession", "SessionVault"]

_FORMAT_VERSION = 1

_log = logging.getLogger(__name__)


class _Unreadable(Exception):
    """Why a session file cannot be used; internal, never leaves this module (it becomes
    a ``CredentialError`` or a logged warning)."""


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
    #: the portal URL the session was signed in at (None: not recorded, older files)
    portal_url: str | None = None

    def for_url(self, portal_url: str | None) -> bool:
        """Whether the session may be used at ``portal_url``: one signed in at another
        instance of the portal (staging vs production, another practice on the same
        host, where cookies would be sent along) must not be. Unknown on either side:
        yes (files from before the URL was recorded)."""
        if portal_url is None or self.portal_url is None:
            return True
        return _same_portal(self.portal_url, portal_url)

    def to_json(self) -> dict[str, object]:
        return {
            "version": _FORMAT_VERSION,
            "portal": self.portal,
            "account": self.account,
            "saved_at": self.saved_at,
            "checked_at": self.checked_at,
            "portal_version": self.portal_version,
            "identity": self.identity.to_json() if self.identity else None,
            "portal_url": self.portal_url,
            "snapshot": self.snapshot.to_json(),
        }

    def expired(self, now: float) -> bool:
        """True when every cookie of the session carries an expiry that has passed and
        nothing else (local/session storage) could hold the login: the portal will not
        know it any more. Session cookies (no expiry) never count as expired."""
        cookies = self.snapshot.storage_state.get("cookies") or []
        if not cookies or self.snapshot.session_storage:
            return False
        if any(o.get("localStorage") for o in self.snapshot.storage_state.get("origins") or []):
            return False
        expiries = [_expiry(cookie) for cookie in cookies]
        return all(expiry is not None and expiry <= now for expiry in expiries)


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
        """The saved session, ``None`` when there is none; ``CredentialError`` when the
        file cannot be used (says which file and why)."""
        path = self.path(portal, account)
        try:
            return self._read(path, (portal, account))
        except FileNotFoundError:  # never saved, or dropped meanwhile
            return None

    def load_usable(self, portal: str, account: str, now: float | None = None
                    ) -> SavedSession | None:
        """The saved session if a run can use it. A file that cannot be read is logged
        and treated as nothing saved (left in place: the next login replaces it, and a
        restored key would read it again); an expired session is deleted. A file that
        belongs to another account is still refused (``CredentialError``)."""
        path = self.path(portal, account)
        try:
            data = self._decode(path)
        except FileNotFoundError:
            return None
        except _Unreadable as exc:
            _log.warning("ignoring saved session %s: %s; signing in afresh", path, exc)
            return None
        session = self._checked(path, data, (portal, account))
        if session.expired(time.time() if now is None else now):
            _log.info("pruning expired saved session %s", path)
            self._drop_if_unchanged(path, session)
            return None
        return session

    def _decode(self, path: Path) -> SavedSession:
        """The session in ``path``; ``_Unreadable`` (with the reason) when it is not one
        this version can use. ``FileNotFoundError`` passes through."""
        try:
            raw = path.read_bytes()
        except IsADirectoryError:
            raise _Unreadable("it is a folder, not a file") from None
        except PermissionError as exc:
            raise _Unreadable(f"it cannot be read ({exc.strerror})") from None
        if not raw.strip():
            raise _Unreadable("the file is empty")
        try:
            plain = self._fernet_factory().decrypt(raw.strip())
        except InvalidToken:
            raise _Unreadable(
                "it does not decrypt with the current key (the key was replaced, or the "
                "file is damaged or cut short)") from None
        try:
            data = json.loads(plain)
        except ValueError:
            raise _Unreadable("its content is not a saved session (not JSON)") from None
        if not isinstance(data, dict):
            raise _Unreadable("its content is not a saved session")
        version = data.get("version")
        if version is None:
            raise _Unreadable("it has no format version (written by an older portwright)")
        if version != _FORMAT_VERSION:
            raise _Unreadable(
                f"it is in session format {version!r}, this portwright reads format "
                f"{_FORMAT_VERSION}")
        try:
            return SavedSession(
                portal=str(data["portal"]),
                account=str(data["account"]),
                snapshot=StorageSnapshot.from_json(data["snapshot"]),
                saved_at=float(data["saved_at"]),
                checked_at=_optional_float(data.get("checked_at")),
                portal_version=_optional_str(data.get("portal_version")),
                identity=Fingerprint.from_json(data.get("identity")),
                portal_url=_optional_str(data.get("portal_url")),
            )
        except KeyError as exc:
            raise _Unreadable(f"its content lacks {exc}") from None
        except (TypeError, ValueError, AttributeError):  # no detail: it may quote content
            raise _Unreadable("its content is malformed") from None

    def _read(self, path: Path, expected: tuple[str, str] | None = None) -> SavedSession:
        try:
            session = self._decode(path)
        except _Unreadable as exc:
            where = expected or (path.parent.name, path.stem)
            raise CredentialError(
                f"cannot use saved session {path}: {exc}",
                hint=f"drop it (portwright sessions drop {where[0]} --account {where[1]}) "
                "and sign in again, or restore the key it was written with",
            ) from None
        return self._checked(path, session, expected)

    @staticmethod
    def _checked(path: Path, session: SavedSession, expected: tuple[str, str] | None
                 ) -> SavedSession:
        # A file copied or renamed from another account would sign runs in as that one.
        where = expected or (path.parent.name, path.stem)
        if (session.portal, session.account) != where:
            raise CredentialError(
                f"saved session {path} belongs to {session.portal}/{session.account}, "
                f"not {where[0]}/{where[1]}; refusing to use it",
                hint=f"drop it: portwright sessions drop {where[0]} --account {where[1]}",
            )
        return session

    def _drop_if_unchanged(self, path: Path, session: SavedSession) -> None:
        """Delete ``path`` unless another process saved a newer session there meanwhile."""
        try:
            with self._writing(path):
                current = self._decode(path)
                if current.saved_at == session.saved_at:
                    path.unlink(missing_ok=True)
        except (OSError, _Unreadable) as exc:
            _log.warning("could not prune expired saved session %s: %s", path, exc)

    def mark_checked(self, session: SavedSession, at: float | None = None) -> bool:
        """Record that ``session`` was found healthy — unless the file now holds a newer
        session (another process logged in meanwhile): that one is kept. Says whether it
        wrote.

        Only bookkeeping: when it cannot be written (a read-only state folder, a full
        disk, a file since damaged) the healthy session is still used; a warning says so.
        """
        session.checked_at = at if at is not None else time.time()
        path = self.path(session.portal, session.account)
        try:
            with self._writing(path):
                current = self._decode(path)
                if current.saved_at != session.saved_at:
                    return False
                self._write(path, session)
        except FileNotFoundError:
            return False
        except (OSError, _Unreadable) as exc:
            _log.warning("could not record the health check of saved session %s: %s",
                         path, exc)
            return False
        return True

    def drop(self, portal: str, account: str) -> bool:
        path = self.path(portal, account)
        try:
            path.unlink()
        except FileNotFoundError:  # never saved, or another process dropped it first
            return False
        return True

    def all(self, portal: str | None = None) -> list[SavedSession]:
        """Every saved session (of one portal), sorted by portal and account."""
        return [self._read(p) for p in self._files(portal)]

    def survey(self, portal: str | None = None
               ) -> tuple[list[SavedSession], list[CredentialError]]:
        """The saved sessions that can be read, and an error for each file that cannot
        (naming it, why, and how to drop it): a listing shows the good ones even when
        one file is damaged or written with a key since replaced."""
        readable: list[SavedSession] = []
        unusable: list[CredentialError] = []
        for path in self._files(portal):
            try:
                readable.append(self._read(path))
            except FileNotFoundError:
                continue  # dropped by another process meanwhile
            except CredentialError as exc:
                unusable.append(exc)
        return readable, unusable

    def _files(self, portal: str | None) -> list[Path]:
        if not self.root.is_dir():
            return []
        pattern = f"{portal}/*.session" if portal else "*/*.session"
        return sorted(self.root.glob(pattern))


def _expiry(cookie: object) -> float | None:
    """When a cookie of Playwright's storage state expires; None for a session cookie
    (``expires: -1``) or one without a usable expiry."""
    expires = cookie.get("expires") if isinstance(cookie, dict) else None
    if isinstance(expires, int | float) and not isinstance(expires, bool) and expires > 0:
        return float(expires)
    return None


def _optional_float(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise TypeError(f"expected a number, got {type(value).__name__}")


def _optional_str(value: object) -> str | None:
    return None if value is None else str(value)


def _same_portal(a: str, b: str) -> bool:
    """Two portal URLs name one instance: scheme and host case-insensitively, the default
    port spelled or not, a trailing slash ignored."""
    def key(url: str) -> tuple[str, str, int | None, str]:
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        port = parts.port or {"http": 80, "https": 443}.get(scheme)
        return scheme, (parts.hostname or "").lower(), port, parts.path.rstrip("/")

    return key(a) == key(b)
