"""A minimal envelope check for uploaded 837P files (what a clearinghouse front door does).

It reads the delimiters from the fixed-width ISA segment, then checks the envelope
nesting (ISA/GS/ST … SE/GE/IEA), that the functional group is a professional claim
(GS01 ``HC``, version ``005010X222…``), that each transaction's SE count is right and
the control numbers pair up. It does not validate claim content: that is pyx12's job.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EnvelopeError", "EnvelopeSummary", "check_837p_envelope"]


class EnvelopeError(ValueError):
    """The upload is not an acceptable 837P interchange; the message says why."""


@dataclass(frozen=True)
class EnvelopeSummary:
    interchange_control: str
    transaction_count: int
    claim_count: int


def check_837p_envelope(data: bytes) -> EnvelopeSummary:
    try:
        text = data.decode("ascii").lstrip("\ufeff")
    except UnicodeDecodeError:
        raise EnvelopeError("The file is not plain X12 text (non-ASCII bytes)") from None
    text = text.lstrip()
    if not text.startswith("ISA") or len(text) < 106:
        raise EnvelopeError("The file does not start with an ISA interchange header")
    element = text[3]
    terminator = text[105]
    segments = [s.strip("\r\n ") for s in text.split(terminator)]
    segments = [s for s in segments if s]
    parsed = [s.split(element) for s in segments]
    isa = parsed[0]
    if len(isa) != 17:
        raise EnvelopeError(f"ISA must have 16 elements, found {len(isa) - 1}")
    control = isa[13]
    if parsed[-1][0] != "IEA":
        raise EnvelopeError("The interchange is not closed by an IEA segment")
    if parsed[-1][2] != control:
        raise EnvelopeError(f"IEA control number {parsed[-1][2]} does not match ISA13 {control}")
    transactions = claims = 0
    in_group = False
    st_index = -1
    st_control = ""
    for index, seg in enumerate(parsed[1:-1], 1):
        tag = seg[0]
        if tag == "GS":
            if seg[1] != "HC":
                raise EnvelopeError(f"GS01 is {seg[1]!r}; an 837P group must be 'HC'")
            if len(seg) < 9 or not seg[8].startswith("005010X222"):
                raise EnvelopeError("GS08 must be an 005010X222 (837P) version")
            in_group = True
        elif tag == "ST":
            if not in_group:
                raise EnvelopeError("ST segment outside a GS functional group")
            if seg[1] != "837":
                raise EnvelopeError(f"ST01 is {seg[1]!r}; expected 837")
            st_index, st_control = index, seg[2]
        elif tag == "CLM":
            claims += 1
        elif tag == "SE":
            if st_index < 0:
                raise EnvelopeError("SE segment without a matching ST")
            expected = index - st_index + 1
            if seg[1] != str(expected):
                raise EnvelopeError(f"SE01 says {seg[1]} segments; the transaction has {expected}")
            if seg[2] != st_control:
                raise EnvelopeError(f"SE02 {seg[2]} does not match ST02 {st_control}")
            transactions += 1
            st_index = -1
        elif tag == "GE":
            in_group = False
    if transactions == 0:
        raise EnvelopeError("The interchange holds no 837 transaction")
    if claims == 0:
        raise EnvelopeError("The 837 transaction holds no CLM (claim) segment")
    return EnvelopeSummary(control, transactions, claims)
