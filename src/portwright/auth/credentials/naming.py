"""How a secret is named, in flows, in the environment and in the encrypted file.

A flow writes ``{{ secrets.<portal>.<name> }}``. The store looks the name up for the
account the run logs in as first, then for the portal as a whole, so one workspace can
hold several accounts of one portal while sharing what they have in common:

==========================================  ============================================
lookup                                      environment variable
==========================================  ============================================
``<portal>.<account>.<name>`` (account set)  ``PORTWRIGHT_SECRET_<PORTAL>_<ACCOUNT>_<NAME>``
``<portal>.<name>``                          ``PORTWRIGHT_SECRET_<PORTAL>_<NAME>``
==========================================  ============================================

Environment names are upper-cased and every character that is not a letter or digit
becomes ``_`` (``clinic-2`` → ``CLINIC_2``). Portal, account and secret names are
identifiers (letters, digits, ``_`` and ``-``), so a dotted key is never ambiguous.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from portwright.exceptions import CredentialError

__all__ = ["ENV_PREFIX", "SecretKey", "env_var_name"]

ENV_PREFIX = "PORTWRIGHT_SECRET_"
_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def _check(kind: str, value: str) -> str:
    if not _PART.match(value):
        raise CredentialError(
            f"invalid {kind} name {value!r} in a secret reference",
            hint=f"a {kind} name is letters, digits, '_' or '-' (e.g. secrets.valant.password)",
        )
    return value


@dataclass(frozen=True, order=True)
class SecretKey:
    """The address of one secret: portal, optional account, and the secret's own name."""

    portal: str
    name: str
    account: str | None = None

    def __post_init__(self) -> None:
        _check("portal", self.portal)
        _check("secret", self.name)
        if self.account is not None:
            _check("account", self.account)

    @property
    def dotted(self) -> str:
        """``portal.name`` or ``portal.account.name``: the key in the encrypted file."""
        if self.account is None:
            return f"{self.portal}.{self.name}"
        return f"{self.portal}.{self.account}.{self.name}"

    @property
    def reference(self) -> str:
        """How a flow refers to it (the account is implied by the run, never written)."""
        return f"secrets.{self.portal}.{self.name}"

    @classmethod
    def parse(cls, dotted: str) -> SecretKey:
        """Parse ``portal.name`` or ``portal.account.name`` (an optional ``secrets.`` prefix)."""
        parts = dotted.split(".")
        if parts and parts[0] == "secrets":
            parts = parts[1:]
        if len(parts) == 2:
            return cls(portal=parts[0], name=parts[1])
        if len(parts) == 3:
            return cls(portal=parts[0], account=parts[1], name=parts[2])
        raise CredentialError(
            f"invalid secret key {dotted!r}",
            hint="write <portal>.<name> or <portal>.<account>.<name>",
        )

    def for_portal(self) -> SecretKey:
        """The same secret without the account: the portal-wide fallback."""
        return SecretKey(portal=self.portal, name=self.name)


def env_var_name(key: SecretKey) -> str:
    """The environment variable that holds ``key`` (see the module docstring)."""
    parts = [key.portal] + ([key.account] if key.account else []) + [key.name]
    return ENV_PREFIX + "_".join(re.sub(r"[^A-Za-z0-9]", "_", p).upper() for p in parts)
