"""Playwright's error text, made fit for a step error, a log line or a report.

Playwright appends a *call log* to its errors. For a request made through the browser
context (a ``request`` step, a session health check) that log lists every request header,
the session's ``cookie`` included, and for a redirect the response headers with their
``set-cookie``. A session cookie is a secret the redactor never saw (it was set by the
portal, not rendered from ``secrets``), so those header lines are dropped here rather
than hoped to fall past a line limit. Query strings are cut too: a search URL carries
what was searched for (a patient's name, an MRN), which is PHI.

The element a locator resolved to is shown by its tag alone: Playwright prints it as
markup, the text and values it holds included.

What is left is the first line (what failed), the call log's own steps (what Playwright
was waiting for), at most ``most_lines`` of it; and, for a portal nothing answers at, a
hint saying so in plain words.
"""

from __future__ import annotations

import re

from portwright.shown_url import shown_url

__all__ = ["describe_playwright_error", "unreachable_hint"]

#: a call-log entry for a request sent (→) or a response received (←); the lines indented
#: under it are that message's headers
_MESSAGE_ENTRY = re.compile(r"^- [→←] ")
_QUERY = re.compile(r"https?://[^\s?#\"'<>]+[?#][^\s\"'<>]*")
_REFUSED = re.compile(
    r"ECONNREFUSED (?P<target>\S+)|net::ERR_CONNECTION_REFUSED at (?P<url>\S+)"
)
_UNKNOWN_HOST = re.compile(r"ENOTFOUND (?P<host>\S+)|net::ERR_NAME_NOT_RESOLVED")
#: "locator resolved to <td class="name">Quentin Marchbanks</td>": the element as markup,
#: its text and attribute values (a patient's name, a form's value) included
_RESOLVED_TO = re.compile(r"(resolved to (?:\d+ elements?: )?)(<[A-Za-z][\w-]*)[^\n]*")


def _without_query(line: str) -> str:
    line = _RESOLVED_TO.sub(lambda found: f"{found.group(1)}{found.group(2)} …>", line)
    line = _INTERCEPTS.sub(_telling_blocker, line)
    return _QUERY.sub(lambda found: shown_url(found.group(0)), line)


def describe_playwright_error(message: str, most_lines: int = 8) -> str:
    """``message`` without header lines or query strings, cut to ``most_lines`` lines."""
    kept: list[str] = []
    headers_deeper_than: int | None = None
    for line in message.strip().splitlines():
        indent = len(line) - len(line.lstrip())
        if headers_deeper_than is not None:
            if indent > headers_deeper_than:
                continue
            headers_deeper_than = None
        if _MESSAGE_ENTRY.match(line.lstrip()):
            headers_deeper_than = indent
        kept.append(_without_query(line.rstrip()))
    while kept and kept[-1].strip() in ("", "Call log:"):
        kept.pop()
    blocker = _blocker(kept)
    if len(kept) > most_lines:
        kept = [*kept[:most_lines], "..."]
        if blocker is not None and blocker not in kept:  # why a click never landed
            kept.append(blocker)
    return "\n".join(kept)


#: Playwright's retry line "<div class="modal" role="dialog">What's new…</div> intercepts
#: pointer events": an overlay (a dialog, a cookie banner) covers the target
_INTERCEPTS = re.compile(r"(<[A-Za-z][\w-]*)([^>]*)>.*?\s+(?=intercepts pointer events)")
#: attributes that say what the overlay is without quoting what it shows
_TELLING_ATTRIBUTES = re.compile(r'\s(?:id|class|role|data-testid|aria-modal)="[^"]*"')


def _telling_blocker(found: re.Match[str]) -> str:
    """The covering element by its tag and telling attributes only: its text and other
    attributes may be a patient's."""
    return f"{found.group(1)}{''.join(_TELLING_ATTRIBUTES.findall(found.group(2)))}> "


def _blocker(lines: list[str]) -> str | None:
    """The last "... intercepts pointer events" line (already shown safely), or None."""
    for line in reversed(lines):
        if line.rstrip().endswith("intercepts pointer events"):
            return line
    return None


def unreachable_hint(message: str) -> str | None:
    """A plain-words hint when nothing answered at the portal's address, else None."""
    refused = _REFUSED.search(message)
    if refused:
        where = refused.group("target") or _without_query(refused.group("url"))
        return (f"nothing answers at {where}: is the portal (or the sandbox) running, "
                "and is the portal URL right?")
    if _UNKNOWN_HOST.search(message):
        return "the portal's host name does not resolve: check the portal URL"
    return None
