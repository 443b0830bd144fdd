"""A keyed fingerprint of secret values: tells "the same credentials" from "changed"
without keeping the credentials.

Saved sessions and refused-login records must notice when an account's username or
password changes, yet must not store them — not in plain text, and not as a plain hash,
which a guessing attack reverses for weak passwords. So the fingerprint is an HMAC keyed
with a random salt, and it is only ever written inside a Fernet-encrypted file (the
workspace key), next to that salt.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["Fingerprint"]


def _digest(salt: str, values: Mapping[str, str]) -> str:
    message = "\0".join(f"{name}={values[name]}" for name in sorted(values))
    return hmac.new(bytes.fromhex(salt), message.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Fingerprint:
    """HMAC-SHA256 of named secret values under a random salt."""

    salt: str
    digest: str

    @classmethod
    def of(cls, values: Mapping[str, str]) -> Fingerprint:
        salt = secrets.token_hex(16)
        return cls(salt=salt, digest=_digest(salt, values))

    def matches(self, values: Mapping[str, str]) -> bool:
        return hmac.compare_digest(self.digest, _digest(self.salt, values))

    def to_json(self) -> dict[str, str]:
        return {"salt": self.salt, "digest": self.digest}

    @classmethod
    def from_json(cls, data: object) -> Fingerprint | None:
        """The fingerprint in ``data``, or None when there is none (an older file)."""
        if not isinstance(data, dict):
            return None
        salt, digest = data.get("salt"), data.get("digest")
        if not isinstance(salt, str) or not isinstance(digest, str):
            return None
        return cls(salt=salt, digest=digest)
