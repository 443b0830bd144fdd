"""RFC 6238 TOTP verification (30 s steps, 6 digits, SHA-1, ±1 step of clock skew).

Written out rather than delegated so the sandbox states exactly what it accepts; the
returned time step lets callers refuse a code that was already used (replay), as real
portals do — which is why the engine must wait for a fresh window.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time

__all__ = ["STEP_S", "code_at", "matching_step"]

STEP_S = 30
DIGITS = 6


def code_at(secret_b32: str, step: int) -> str:
    key = base64.b32decode(secret_b32.upper() + "=" * (-len(secret_b32) % 8))
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**DIGITS).zfill(DIGITS)


def matching_step(secret_b32: str, code: str, now: float | None = None) -> int | None:
    """The time step (current ±1) whose code equals ``code``, or None."""
    code = code.strip()
    if len(code) != DIGITS or not code.isdigit():
        return None
    current = int((time.time() if now is None else now) // STEP_S)
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(code_at(secret_b32, step), code):
            return step
    return None
