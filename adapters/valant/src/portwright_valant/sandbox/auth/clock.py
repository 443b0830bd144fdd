"""The auth clock: wall time plus an offset tests can advance.

Session idle timeouts, lockouts and code expiry read this clock, so a test proves
"the session expired after 20 minutes" by advancing it instead of sleeping. TOTP
verification deliberately uses real time: authenticator apps (and pyotp in tests) do.
"""

from __future__ import annotations

import threading
import time

__all__ = ["Clock"]


class Clock:
    """``now()`` in Unix seconds; ``advance(seconds)`` moves it forward for everyone."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._offset += seconds
