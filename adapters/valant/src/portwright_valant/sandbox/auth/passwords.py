"""Password hashing with scrypt, as a real portal stores them: never in clear.

Seeded accounts use a salt derived from the username so that seeding is deterministic
and the (deliberately slow) hash of each seeded password is computed once per process.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import lru_cache

__all__ = ["hash_password", "verify_password"]

_N, _R, _P = 2**14, 8, 1


@lru_cache(maxsize=64)
def _scrypt(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)


def hash_password(password: str, salt: bytes | None = None) -> str:
    """``scrypt$<n>$<r>$<p>$<salt hex>$<hash hex>``; a random salt unless one is given."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${_scrypt(password, salt).hex()}"


def verify_password(password: str, stored: str | None) -> bool:
    """True if ``password`` matches ``stored``; False for malformed or missing hashes."""
    if not stored:
        return False
    try:
        scheme, n, r, p, salt_hex, hash_hex = stored.split("$")
        if scheme != "scrypt":
            return False
        salt = bytes.fromhex(salt_hex)
        if (int(n), int(r), int(p)) == (_N, _R, _P):
            candidate = _scrypt(password, salt)
        else:
            candidate = hashlib.scrypt(
                password.encode(), salt=salt, n=int(n), r=int(r), p=int(p), dklen=32
            )
    except ValueError:
        return False
    return hmac.compare_digest(candidate.hex(), hash_hex)
