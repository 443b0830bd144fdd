"""Time, injectable: MFA waits on wall-clock windows, and tests must not really wait.

Production uses ``SystemClock``; a test passes a clock whose ``sleep`` advances its own
``now`` so waiting for a fresh TOTP window costs nothing.
"""

from __future__ import annotations

import asyncio
import time
from typing import Protocol

__all__ = ["Clock", "SystemClock"]


class Clock(Protocol):
    """Wall-clock seconds since the epoch, and a way to wait."""

    def now(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real clock."""

    def now(self) -> float:
        return time.time()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))
