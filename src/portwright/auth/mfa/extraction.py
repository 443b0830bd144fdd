"""Pull a one-time code out of a message body with the flow's regular expression."""

from __future__ import annotations

import re

from portwright.exceptions import MfaError

__all__ = ["DEFAULT_CODE_PATTERN", "compile_pattern", "extract_code"]

#: six to eight digits standing on their own: what most portals send
DEFAULT_CODE_PATTERN = r"\b(\d{6,8})\b"


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Compile the flow's pattern; it must have exactly one group or none (whole match)."""
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise MfaError(
            f"invalid code pattern {pattern!r}: {exc}",
            hint="the pattern is a Python regex; put the code in one group, e.g. '\\b(\\d{6})\\b'",
        ) from None
    if compiled.groups > 1:
        raise MfaError(
            f"code pattern {pattern!r} has {compiled.groups} groups",
            hint="use one capturing group around the code (others as (?:...))",
        )
    return compiled


def extract_code(text: str, pattern: re.Pattern[str]) -> str | None:
    """The first code in ``text``, or ``None`` when the pattern does not match."""
    match = pattern.search(text)
    if match is None:
        return None
    return match.group(1) if pattern.groups == 1 else match.group(0)
