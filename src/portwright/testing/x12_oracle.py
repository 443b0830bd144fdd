"""pyx12 as an independent oracle for generated X12 (a dev dependency, imported lazily).

pyx12's exit code means nothing (the console script always exits 1), so the verdict is
read from what it produces: its return value, the error lines it logs, and for an 837
the 999 acknowledgment (``IK5*A`` for every transaction set, ``AK9*A``). pyx12 cannot
build a 999 for an 835 (its ST has no ST03), so that one log line is ignored.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field

__all__ = ["Pyx12Verdict", "pyx12_check"]

_NO_999_FOR_835 = "Failed to create 999 response"


@dataclass(frozen=True)
class Pyx12Verdict:
    """``ok`` is the verdict; ``errors`` are pyx12's own error lines; ``ack`` the 999."""

    ok: bool
    errors: list[str] = field(default_factory=list)
    ack: str = ""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def pyx12_check(text: str) -> Pyx12Verdict:
    """Validate X12 ``text`` with pyx12 against its 5010 maps."""
    import pyx12.params
    import pyx12.x12n_document

    handler = _Collect()
    logger = logging.getLogger("pyx12")
    logger.addHandler(handler)
    ack = io.StringIO()
    try:
        passed = bool(pyx12.x12n_document.x12n_document(
            param=pyx12.params.params(), src_file=io.StringIO(text), fd_997=ack,
            fd_html=None))
    finally:
        logger.removeHandler(handler)
    errors = [m for m in handler.messages if m != _NO_999_FOR_835]
    ack_text = ack.getvalue()
    ok = passed and not errors
    if ok and "AK9*" in ack_text:  # a complete 999 (never for an 835)
        ok = "IK5*R" not in ack_text and "IK5*E" not in ack_text and "AK9*A" in ack_text
    return Pyx12Verdict(ok, errors, ack_text)
