"""Saying which request a replay found no recorded answer for, without saying its data.

A miss is what a person fixing a recording needs most: which request (method and URL),
and which step of the flow made it. The URL a replayed flow requests carries its inputs
(a search term, a date of birth in a query string); printed whole, a FAIL line in a CI
log would show them. So a miss is shown as a template: scheme, host and path as
requested, each query parameter by name with its value left out.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit, urlunsplit

from portwright.exceptions import PortwrightError, StepError

__all__ = ["miss_template", "misses_line"]


def miss_template(miss: str) -> str:
    """``"GET https://portal/x?q=Smith&page=2"`` → ``"GET https://portal/x?q=<q>&page=<page>"``."""
    method, _, url = miss.partition(" ")
    parts = urlsplit(url)
    names = [name for name, _ in parse_qsl(parts.query, keep_blank_values=True)]
    query = "&".join(f"{name}=<{name}>" for name in names)
    if parts.query and not names:
        query = "<query>"
    return f"{method} {urlunsplit((parts.scheme, parts.netloc, parts.path, query, ''))}"


def misses_line(misses: list[str], error: PortwrightError | None = None, *,
                shown: int = 5) -> str:
    """The misses as templates, and the step that was running when the flow failed (a
    ``StepError`` names it; the first miss is usually what made that step fail)."""
    listed = "; ".join(miss_template(m) for m in misses[:shown])
    more = f" (and {len(misses) - shown} more)" if len(misses) > shown else ""
    line = f"{len(misses)} request(s) had no recorded answer: {listed}{more}"
    if isinstance(error, StepError) and (error.flow or error.step):
        line += (f"; the flow then failed in {error.flow or '?'} step {error.step or '?'} "
                 f"({type(error).__name__})")
    elif error is not None:
        line += f"; the flow then failed ({type(error).__name__})"
    return line
