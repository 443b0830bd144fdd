"""The one Fernet key that encrypts the secrets file and saved sessions.

Where it comes from, first found wins:

1. ``PORTWRIGHT_SECRET_KEY``: the key itself (what CI and containers inject);
2. ``PORTWRIGHT_SECRETS_KEY_FILE``: a key file somewhere else;
3. ``<state>/secret.key``: the workspace default, created on first use.

A key file must be readable by its owner only (mode 0600): a key anyone on the machine
can read protects nothing, so portwright refuses to use it and says how to fix it.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from cryptography.fernet import Fernet

from portwright.exceptions import CredentialError
from portwright.private_file import make_private_dir

__all__ = ["KEY_ENV", "KEY_FILE_ENV", "create_key_file", "default_key_file", "load_fernet"]

KEY_ENV = "PORTWRIGHT_SECRET_KEY"
KEY_FILE_ENV = "PORTWRIGHT_SECRETS_KEY_FILE"


def default_key_file(state_dir: Path) -> Path:
    """Where the workspace keeps its key when none is given."""
    return state_dir / "secret.key"


def _fernet(raw: bytes, origin: str) -> Fernet:
    try:
        return Fernet(raw.strip())
    except ValueError:
        raise CredentialError(
            f"{origin} does not hold a valid Fernet key",
            hint="generate one with `portwright secrets init-key` "
            "(32 url-safe base64-encoded bytes)",
        ) from None


def _check_mode(path: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise CredentialError(
            f"key file {path} is accessible by other users (mode {mode:04o}); refusing to use it",
            hint=f"chmod 600 {path}",
        )


def create_key_file(path: Path) -> Path:
    """Write a new random key to ``path`` with mode 0600 (never overwrites one). Folders
    made on the way (normally the state folder itself) are 0700: the state folder holds
    the key, the saved sessions and the TOTP ledger."""
    if not _publish_new_key(path):
        raise CredentialError(
            f"key file {path} already exists; not overwriting it",
            hint="delete it first only if nothing is encrypted with it",
        )
    return path


def _publish_new_key(path: Path) -> bool:
    """Put a new key at ``path`` unless one is there; False when one was (made by another
    process meanwhile: two first runs of a fresh workspace at once).

    The key is written whole to a private temporary file and then linked to its name,
    which fails if the name exists: no reader ever sees an empty or half-written key
    file, and of two creators exactly one wins while the other uses the winner's key.
    """
    make_private_dir(path.parent)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(Fernet.generate_key() + b"\n")
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links: exclusive create instead
            return _create_exclusively(path, tmp.read_bytes())
    finally:
        tmp.unlink(missing_ok=True)
    return True


def _create_exclusively(path: Path, key: bytes) -> bool:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    return True


def load_fernet(state_dir: Path, *, create: bool = False) -> Fernet:
    """The workspace's Fernet; ``create`` makes the default key file when none exists."""
    raw = os.environ.get(KEY_ENV)
    if raw:
        return _fernet(raw.encode(), KEY_ENV)
    explicit = os.environ.get(KEY_FILE_ENV)
    path = Path(explicit) if explicit else default_key_file(state_dir)
    if not path.exists():
        if create and not explicit:
            _publish_new_key(path)  # or another process just did: its key is used
        else:
            raise CredentialError(
                f"no encryption key: {KEY_ENV} is unset and key file {path} does not exist",
                hint=f"run `portwright secrets init-key` or set {KEY_ENV}",
            )
    _check_mode(path)
    return _fernet(path.read_bytes(), f"key file {path}")
