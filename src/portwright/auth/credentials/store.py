"""The credential store: resolves ``secrets.<portal>.<name>`` for one account.

Flows never hold secrets; they name them, and the engine asks the store at the last
moment. The store tries, in order, the account-specific key then the portal-wide key,
each in every source (environment first, so CI can override the file). A missing secret
is a ``CredentialError`` that lists exactly where it looked, by name, never by value.

Every value handed out is remembered in ``revealed`` so logs, errors and run results can
be redacted against the exact strings that must not leak.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from portwright.auth.credentials.keyring import load_fernet
from portwright.auth.credentials.naming import SecretKey, env_var_name
from portwright.auth.credentials.sources import (
    EncryptedFileSource,
    EnvironmentSource,
    SecretSource,
)
from portwright.exceptions import CredentialError

__all__ = ["SECRETS_FILE_ENV", "CredentialStore", "default_secrets_file"]

SECRETS_FILE_ENV = "PORTWRIGHT_SECRETS_FILE"


def default_secrets_file(state_dir: Path) -> Path:
    """The encrypted secrets file of a workspace (``PORTWRIGHT_SECRETS_FILE`` overrides)."""
    explicit = os.environ.get(SECRETS_FILE_ENV)
    return Path(explicit) if explicit else state_dir / "secrets.fernet"


class CredentialStore:
    """Resolve secrets for one (optional) account from an ordered list of sources."""

    def __init__(self, sources: Sequence[SecretSource], *, account: str | None = None) -> None:
        self.sources = list(sources)
        self.account = account
        self.revealed: set[str] = set()

    @classmethod
    def for_workspace(cls, state_dir: Path, *, account: str | None = None) -> CredentialStore:
        """Environment first, then the workspace's encrypted file."""
        file_source = EncryptedFileSource(
            default_secrets_file(state_dir), lambda: load_fernet(state_dir)
        )
        return cls([EnvironmentSource(), file_source], account=account)

    def with_account(self, account: str | None) -> CredentialStore:
        """The same sources, resolving for another account."""
        other = CredentialStore(self.sources, account=account)
        other.revealed = self.revealed
        return other

    def _candidates(self, portal: str, name: str, account: str | None) -> list[SecretKey]:
        keys = []
        if account is not None:
            keys.append(SecretKey(portal=portal, name=name, account=account))
        keys.append(SecretKey(portal=portal, name=name))
        return keys

    def get(self, portal: str, name: str, *, account: str | None = None) -> str | None:
        """The value, or ``None`` when no source holds it."""
        for key in self._candidates(portal, name, account or self.account):
            for source in self.sources:
                value = source.get(key)
                if value is not None:
                    if value:
                        self.revealed.add(value)
                    return value
        return None

    def resolve(self, portal: str, name: str, *, account: str | None = None) -> str:
        """The value of ``secrets.<portal>.<name>``; ``CredentialError`` if nowhere.

        ``account`` overrides the store's own account (this is the engine's
        ``SecretResolver`` protocol).
        """
        account = account or self.account
        value = self.get(portal, name, account=account)
        if value is None:
            looked = []
            candidates = self._candidates(portal, name, account)
            for key in candidates:
                for source in self.sources:
                    if isinstance(source, EnvironmentSource):
                        looked.append(f"${env_var_name(key)}")
                    else:
                        looked.append(f"'{key.dotted}' in {source.description}")
            who = f" for account '{account}'" if account else ""
            raise CredentialError(
                f"secret 'secrets.{portal}.{name}'{who} is not set; looked for "
                + ", ".join(looked),
                hint=f"portwright secrets set {portal} {name}"
                + (f" --account {account}" if account else "")
                + f"  (or export {env_var_name(candidates[-1])})",
            )
        return value

