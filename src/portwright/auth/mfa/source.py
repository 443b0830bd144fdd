"""What every second-factor channel offers the ``mfa`` step.

The step calls ``prepare()`` just before it makes the portal send a code (so the
channel can tell new messages from old ones), then ``next_code()`` to obtain one. A
second call to ``next_code()`` after a rejection must yield a *different* code.
``channel`` names the channel in errors without revealing secrets (mailbox address,
masked phone number, "TOTP for valant/clinician").
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["CodeSource", "mask_number"]


class CodeSource(Protocol):
    """A source of one-time codes for one account."""

    @property
    def channel(self) -> str: ...

    async def prepare(self) -> None: ...

    async def next_code(self, timeout_s: float) -> str: ...


def mask_number(number: str) -> str:
    """``+15551234567`` → ``+1•••••••4567``: enough to recognise, not enough to leak."""
    digits = [c for c in number if c.isdigit()]
    if len(digits) <= 4:
        return "•" * len(digits)
    keep_head = 1 if number.startswith("+") else 0
    head = ("+" + digits[0]) if keep_head else ""
    middle = "•" * (len(digits) - 4 - keep_head)
    return head + middle + "".join(digits[-4:])
