"""Where secret values live: the environment, or a Fernet-encrypted file.

Each source answers one question, "what is the value of this exact key?", and can list
the keys it holds (never the values). The store decides the order.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from cryptography.fernet import Fernet, InvalidToken
from filelock import FileLock

from portwright.auth.credentials.naming import ENV_PREFIX, SecretKey, env_var_name
from portwright.exceptions import CredentialError
from portwright.private_file import make_private_dir, write_private_file

__all__ = ["EncryptedFileSource", "EnvironmentSource", "SecretSource"]

_FORMAT_VERSION = 1


class SecretSource(Protocol):
    """Something that may hold secret values."""

    description: str

    def get(self, key: SecretKey) -> str | None: ...

    def names(self) -> list[str]: ...


class EnvironmentSource:
    """``PORTWRIGHT_SECRET_<PORTAL>[_<ACCOUNT>]_<NAME>`` variables."""

    description = "environment"

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = environ if environ is not None else os.environ

    def get(self, key: SecretKey) -> str | None:
        return self._environ.get(env_var_name(key))

    def names(self) -> list[str]:
        return sorted(k for k in self._environ if k.startswith(ENV_PREFIX))


class EncryptedFileSource:
    """A Fernet token holding ``{"version": 1, "secrets": {"portal[.account].name": value}}``.

    The key is fetched lazily (``fernet_factory``) so that a workspace that keeps every
    secret in the environment never needs a key file.
    """

    def __init__(self, path: Path, fernet_factory: Callable[[], Fernet]) -> None:
        self.path = path
        self.description = f"encrypted file {path}"
        self._fernet_factory = fernet_factory
        self._cache: dict[str, str] | None = None

    def _load(self) -> dict[str, str]:
        if self._cache is not None:
            return self._cache
        if not self.path.exists():
            self._cache = {}
            return self._cache
        try:
            plain = self._fernet_factory().decrypt(self.path.read_bytes().strip())
        except InvalidToken:
            raise CredentialError(
                f"cannot decrypt secrets file {self.path}: wrong key or corrupted file",
                hint="use the key it was written with (PORTWRIGHT_SECRET_KEY or the key file)",
            ) from None
        data = json.loads(plain)
        secrets = data.get("secrets", {})
        if not isinstance(secrets, dict):
            raise CredentialError(f"secrets file {self.path} has an unexpected layout")
        self._cache = {str(k): str(v) for k, v in secrets.items()}
        return self._cache

    def get(self, key: SecretKey) -> str | None:
        return self._load().get(key.dotted)

    def names(self) -> list[str]:
        return sorted(self._load())

    @contextmanager
    def _updating(self) -> Iterator[dict[str, str]]:
        """The file's current secrets, under its lock, written back after the block.

        Two ``secrets set`` at once (a setup script storing several in parallel) each
        read, change one key and write: without the lock the later write drops the
        other's key. The file is re-read under the lock, never taken from the cache.
        """
        make_private_dir(self.path.parent)
        with FileLock(str(self.path.with_name(f".{self.path.name}.lock")),
                      thread_local=False):
            self._cache = None
            before = dict(self._load())
            secrets = dict(before)
            yield secrets
            if secrets != before:
                self._write(secrets)

    def set(self, key: SecretKey, value: str) -> None:
        """Store ``value`` under ``key`` and rewrite the file atomically with mode 0600."""
        with self._updating() as secrets:
            secrets[key.dotted] = value

    def delete(self, key: SecretKey) -> bool:
        with self._updating() as secrets:
            found = secrets.pop(key.dotted, None) is not None
        return found

    def _write(self, secrets: dict[str, str]) -> None:
        token = self._fernet_factory().encrypt(
            json.dumps({"version": _FORMAT_VERSION, "secrets": secrets}).encode()
        )
        write_private_file(self.path, token)
        self._cache = secrets
