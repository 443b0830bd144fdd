"""TOTP codes (RFC 6238) from a secret in the credential store.

Two rules a careful person follows, and so does this source:

* never type a code that is about to expire: with fewer than ``min_remaining_s`` left in
  the current window, wait for the next one (a code submitted at 29.9 s arrives stale);
* never submit the same time step twice for one account, in this process or any other
  (see ``totp_ledger``): a second code wanted in the same window waits for the next one.
"""

from __future__ import annotations

import base64
import binascii

import pyotp

from portwright.auth.mfa.clock import Clock, SystemClock
from portwright.auth.mfa.totp_ledger import TotpLedger
from portwright.exceptions import MfaTimeout

__all__ = ["TotpCodeSource", "seed_problem"]


def seed_problem(secret: str) -> str | None:
    """What is wrong with ``secret`` as a TOTP seed (None: nothing). Spaces, lower case
    and missing padding are fine; the seed's value never appears in the answer."""
    text = secret.replace(" ", "").upper().rstrip("=")
    if not text:
        return "is empty"
    try:
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError):
        return "is not a base32 TOTP seed (letters A-Z and digits 2-7)"
    if len(raw) * 8 < pyotp.OTP.min_secret_length_bits:
        return (f"is too short for a TOTP seed ({len(raw) * 8} bits; at least "
                f"{pyotp.OTP.min_secret_length_bits})")
    return None


class TotpCodeSource:
    """Fresh, never-reused TOTP codes for one (portal, account)."""

    def __init__(
        self,
        secret: str,
        *,
        portal: str,
        account: str,
        ledger: TotpLedger,
        clock: Clock | None = None,
        period_s: int = 30,
        digits: int = 6,
        min_remaining_s: float = 5.0,
    ) -> None:
        self._totp = pyotp.TOTP(secret.replace(" ", ""), digits=digits, interval=period_s)
        self.portal = portal
        self.account = account
        self.ledger = ledger
        self.clock = clock or SystemClock()
        self.period_s = period_s
        self.min_remaining_s = min_remaining_s

    @property
    def channel(self) -> str:
        return f"TOTP for {self.portal}/{self.account}"

    async def prepare(self) -> None:
        """Nothing to snapshot: TOTP codes are computed, not delivered."""

    async def next_code(self, timeout_s: float) -> str:
        """Wait (on the clock) for a usable window, claim its step, return its code."""
        started = self.clock.now()
        async with self.ledger.locked(self.portal, self.account):
            last = self.ledger.last_step(self.portal, self.account)
            while True:
                now = self.clock.now()
                step = int(now // self.period_s)
                remaining = (step + 1) * self.period_s - now
                if last is not None and step <= last:
                    wait = (last + 1) * self.period_s - now
                elif remaining < self.min_remaining_s:
                    wait = remaining
                else:
                    break
                if now + wait - started > timeout_s:
                    raise MfaTimeout(
                        f"no fresh TOTP window for {self.portal}/{self.account} within "
                        f"{timeout_s:.0f} s",
                        hint="raise the mfa step's timeout_s above the TOTP period",
                    )
                # A hair past the boundary, so the next reading is inside the new window.
                await self.clock.sleep(wait + 0.001)
            self.ledger.record(self.portal, self.account, step)
        return str(self._totp.at(step * self.period_s))
