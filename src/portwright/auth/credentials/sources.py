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

_SECRETS_LAYOUT_HINT = (
    'the layout is {"version": 1, "secrets": {"<portal>[.<account>].<name>": "<value>"}}; '
    "`portwright secrets set` writes it for you")


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
        self._cache = self._parse(plain)
        return self._cache

    def _parse(self, plain: bytes) -> dict[str, str]:
        """The secrets in the decrypted file, or a ``CredentialError`` that says where and
        what is wrong (a file decrypted, edited by hand and encrypted again). Names and
        positions only, never a value: the message must be safe to log."""
        where = f"secrets file {self.path} (decrypted)"
        try:
            data = json.loads(plain.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise CredentialError(
                f"{where}: byte {exc.start} is not UTF-8; expected a UTF-8 JSON document",
                hint=_SECRETS_LAYOUT_HINT) from None
        except json.JSONDecodeError as exc:
            raise CredentialError(
                f"{where}: line {exc.lineno}, column {exc.colno}: {exc.msg}; expected a JSON "
                "document", hint=_SECRETS_LAYOUT_HINT) from None
        if not isinstance(data, dict):
            raise CredentialError(
                f"{where}: the document is a {_json_kind(data)}; expected an object with "
                '"version" and "secrets"', hint=_SECRETS_LAYOUT_HINT)
        version = data.get("version", _FORMAT_VERSION)
        if version != _FORMAT_VERSION:
            raise CredentialError(
                f"{where}: format version {version!r}; this portwright reads version "
                f"{_FORMAT_VERSION}", hint="use the portwright version that wrote it")
        secrets = data.get("secrets", {})
        if not isinstance(secrets, dict):
            raise CredentialError(
                f'{where}: "secrets" is a {_json_kind(secrets)}; expected an object of '
                "name → text", hint=_SECRETS_LAYOUT_HINT)
        wrong = sorted(str(k) for k, v in secrets.items() if not isinstance(v, str))
        if wrong:
            kinds = ", ".join(f"'{k}' is a {_json_kind(secrets[k])}" for k in wrong)
            raise CredentialError(
                f"{where}: {kinds}; expected every value to be text (a JSON string)",
                hint="quote the value, or set it again: portwright secrets set <portal> <name>")
        return {str(k): v for k, v in secrets.items()}

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


def _json_kind(value: object) -> str:
    """The JSON name of a value's type, for messages that must not show the value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    return "object"
