"""PHI shapes found by pattern anywhere in text, whatever field they sit in.

These catch what no policy names: an email in a free-text note, a phone number in a
banner. Pseudonym emails and ``000`` SSNs are left alone; a pseudonym phone number found
again maps to itself through the value table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from portwright.recording.scrub.kinds import PhiKind
from portwright.recording.scrub.pseudonymizer import PSEUDONYM_EMAIL_DOMAIN

__all__ = ["EMAIL_RE", "PHONE_RE", "SSN_RE", "detect_phi", "is_fictional_phone"]

EMAIL_RE = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
                      r"\.[A-Za-z]{2,}(?![A-Za-z0-9])")
PHONE_RE = re.compile(r"(?<![\d\w])(?:(?:\+?1[ .-]?)?(?:\(\d{3}\)\s?|\d{3}[ .-])\d{3}[ .-]\d{4}"
                      r"|\+1[2-9]\d{9})(?!\d)")  # punctuated, or E.164
SSN_RE = re.compile(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])")


def is_fictional_phone(text: str) -> bool:
    """A pseudonym's number: North American area code 555, which is never assigned."""
    digits = re.sub(r"\D", "", text)[-10:]
    return len(digits) == 10 and digits.startswith("555")


def detect_phi(text: str, allowed_email_domains: Iterable[str] = ()) -> Iterator[
        tuple[PhiKind, str]]:
    """(kind, value) for every email, phone and SSN-shaped value in ``text``."""
    allowed = {d.lower() for d in allowed_email_domains} | {PSEUDONYM_EMAIL_DOMAIN}
    for match in EMAIL_RE.finditer(text):
        domain = match.group(0).rsplit("@", 1)[1].lower()
        if domain not in allowed and not any(domain.endswith("." + a) for a in allowed):
            yield PhiKind.EMAIL, match.group(0)
    for match in PHONE_RE.finditer(text):  # a pseudonym found again maps to itself
        yield PhiKind.PHONE, match.group(0)
    for match in SSN_RE.finditer(text):
        if not match.group(0).startswith("000"):
            yield PhiKind.SSN, match.group(0)
