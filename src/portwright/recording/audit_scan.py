"""The audit's scan of one text: secret patterns, PHI shapes and planted values, also
inside the base64 tokens of the text.

Kept apart from the file walking (``audit``) and the container decoding
(``audit_containers``) so each stays small; findings carry a masked preview, never the
value itself, since the audit's own output must not leak what it found.

A header value, a cookie or a text body may be plain base64 of text
(``cGFzc3dvcmQ9...`` for ``password=...``, a name in an export id): invisible to every
search until decoded. Decoding every word would be slow and noisy, so only a token that
looks like base64 is tried (a run of base64 characters standing alone, at least 8 long,
with an upper-case letter and a lower-case letter or digit, as base64 of text nearly
always has), and only what decodes to mostly printable text is searched: an ordinary
word or an id decodes to binary noise and is dropped after one C-level pass over it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from portwright.recording.hooks import PlantedValue
from portwright.recording.planted_match import (
    find_planted,
    find_planted_dates,
    planted_dates,
    planted_patterns,
)
from portwright.recording.scrub.base64_text import lenient_base64_text, tokens
from portwright.recording.scrub.detectors import EMAIL_RE, PHONE_RE, SSN_RE, is_fictional_phone
from portwright.recording.scrub.encoded_json import find_tokens
from portwright.recording.scrub.policy import ScrubPolicy
from portwright.recording.scrub.pseudonymizer import PSEUDONYM_EMAIL_DOMAIN

__all__ = ["PATTERN_RULES", "Finding", "audit_text", "position"]

_PLACEHOLDER = r"pw-redacted"

#: rule name → pattern; a match is a finding
PATTERN_RULES: dict[str, re.Pattern[str]] = {
    "otpauth URI (TOTP seed)": re.compile(r"otpauth://"),
    "bearer token": re.compile(rf"\bBearer\s+(?!{_PLACEHOLDER})[A-Za-z0-9._~+/=-]{{8,}}"),
    "basic-auth credentials": re.compile(rf"\bBasic\s+(?!{_PLACEHOLDER})[A-Za-z0-9+/]{{8,}}=*"),
    "JSON web token": re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"),
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "SMS provider account id": re.compile(r"\bAC[0-9a-f]{32}\b"),
    "password field with a value": re.compile(
        rf"(?i)(?:\\?\"(?:password|passwd)\\?\"\s*:\s*\\?\"(?!{_PLACEHOLDER})[^\"\\]+"
        rf"|\b(?:password|passwd)=(?!{_PLACEHOLDER})[^&\s\"]+)"),
    "cookie value that is not a placeholder": re.compile(
        rf"(?i)\"name\":\s*\"(?:set-)?cookie\",\s*\"value\":\s*\"[^\"=;]+=(?!{_PLACEHOLDER}"
        rf"|;|\")"),
}


@dataclass(frozen=True)
class Finding:
    """One hit: where it is, which rule, and a masked preview of the value."""

    file: Path
    line: int
    column: int
    rule: str
    preview: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}: {self.rule}"
        return f"{where}: {self.preview}" if self.preview else where


def findings_at(findings: list[Finding], staged: Path, final: Path, most: int = 20) -> str:
    """Findings in a staged copy, listed (one per line) under the path the file was meant
    to have: the staged name is a temporary file nobody can look up."""
    return "\n  ".join(str(f).replace(str(staged), str(final)) for f in findings[:most])


def _mask(value: str) -> str:
    value = value.strip()
    keep = 2 if len(value) > 6 else 1
    return value[:keep] + "•" * min(len(value) - keep, 12)


def _base64_texts(text: str) -> Iterator[tuple[int, str]]:
    """``(offset, decoded text)`` of every token in ``text`` that is base64 of text, by
    the rule the scrubber uses (:mod:`portwright.recording.scrub.base64_text`)."""
    for match in tokens(text):
        decoded = lenient_base64_text(match.group(0))
        if decoded is not None:
            yield match.start(), decoded


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset``: what an editor jumps to."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def audit_text(path: Path, text: str, planted: Iterable[PlantedValue] = (),
               policy: ScrubPolicy | None = None) -> list[Finding]:
    """Every finding in ``text`` (named ``path`` in the findings)."""
    hits: list[tuple[int, str, str]] = []
    for rule, pattern in PATTERN_RULES.items():
        hits.extend((m.start(), rule, m.group(0)) for m in pattern.finditer(text))
    allowed = {PSEUDONYM_EMAIL_DOMAIN, *(policy.allowed_email_domains if policy else [])}
    for m in EMAIL_RE.finditer(text):
        domain = m.group(0).rsplit("@", 1)[1].lower()
        if domain not in allowed and not any(domain.endswith("." + a) for a in allowed):
            hits.append((m.start(), "email address", m.group(0)))
    for m in PHONE_RE.finditer(text):
        if not is_fictional_phone(m.group(0)):
            hits.append((m.start(), "phone number", m.group(0)))
    for m in SSN_RE.finditer(text):
        if not m.group(0).startswith("000"):
            hits.append((m.start(), "SSN-shaped number", m.group(0)))
    # any notation: URL/form/HTML/JSON escapes, other case (portwright.recording.planted_match)
    planted = tuple(planted)
    for offset, label, matched in find_planted(text, planted_patterns(planted)):
        hits.append((offset, f"planted value ({label})", matched))
    # a planted date of birth in any notation (ISO, US, X12 D8...), labelled with it
    for offset, label, matched in find_planted_dates(text, planted_dates(planted)):
        hits.append((offset, f"planted value ({label})", matched))
    findings = []
    for offset, rule, value in sorted(set(hits)):
        line, column = position(text, offset)
        findings.append(Finding(path, line, column, rule, _mask(value)))
    # a cursor or state token hides its JSON from every search above, a base64 header
    # value or body its text (a JSON token is named as one); each decoded text is
    # shorter than its token, so base64 inside base64 is searched and the nesting ends
    decoded: dict[int, tuple[str, str]] = {
        offset: ("base64 text", inner) for offset, inner in _base64_texts(text)}
    decoded.update((offset, ("base64 JSON token", token.text))
                   for offset, token in find_tokens(text))
    for offset, (kind, inner_text) in sorted(decoded.items()):
        line, column = position(text, offset)
        findings.extend(Finding(path, line, column, f"{inner.rule} (in a {kind})",
                                inner.preview)
                        for inner in audit_text(path, inner_text, planted, policy))
    return findings
