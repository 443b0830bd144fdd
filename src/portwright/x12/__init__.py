"""X12 EDI for billing: a lossless segment tokenizer/writer, 837P (005010X222A1) assembly
with validation before output, 835 (005010X221A1) parsing with balance checks, and
reconciliation of remittances against the claims that were sent.

Everything here is plain Python over strings and entities; no browser is involved.
"""

from __future__ import annotations

from portwright.x12.delimiters import Delimiters
from portwright.x12.interchange import Interchange, parse_interchanges
from portwright.x12.segments import Segment
from portwright.x12.tokenizer import tokenize
from portwright.x12.writer import write_segments

__all__ = [
    "Delimiters",
    "Interchange",
    "Segment",
    "parse_interchanges",
    "tokenize",
    "write_segments",
]
