"""Remittances: the 835 ERA file the portal offers for download, parsed into a Remittance.

The portal's own screens show a payment's total and trace number; the 835 carries every
claim, line and adjustment. So the flow downloads the file and this normalizer parses it
with :mod:`portwright.x12` (balance and format problems included: a tampered or
malformed ERA is never posted silently).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from portwright.entities import Remittance
from portwright.exceptions import X12Error
from portwright.x12.parse835 import parse_835

__all__ = ["normalize_remittance"]


def normalize_remittance(raw: Mapping[str, Any]) -> Remittance:
    """One downloaded 835 (``path`` of the file, or its ``edi`` text) → its Remittance."""
    text = raw.get("edi")
    if text is None:
        path = raw.get("path")
        if not path:
            raise ValueError("a remittance record needs the 835's 'path' or 'edi' text")
        text = Path(str(path)).read_text(encoding="utf-8")
    found = parse_835(str(text))
    if len(found) != 1:
        raise X12Error(f"expected one 835 transaction in the download, found {len(found)}")
    return found[0]
