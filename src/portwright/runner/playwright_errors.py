"""Playwright's error text, made fit for a step error, a log line or a report.

Playwright appends a *call log* to its errors. For a request made through the browser
context (a ``request`` step, a session health check) that log lists every request header,
the session's ``cookie`` included, and for a redirect the response headers with their
``set-cookie``. A session cookie is a secret the redactor never saw (it was set by the
portal, not rendered from ``secrets``), so those header lines are dropped here rather
than hoped to fall past a line limit. Every URL is shown as :func:`shown_url` shows it:
its query cut (a search URL carries what was searched for, a patient's name, an MRN,
which is PHI), and the running flow's input values in its path as their placeholders (a
page the portal redirected to, ``/patients/<the MRN>/summary``, is no URL the flow wrote,
so nothing else would show it as the flow's template).

Much of the rest quotes the page, and a portal's page is a patient's chart:

- an element is printed as markup (``resolved to <td class="pt">Quentin M…</td>``), a
  strict-mode violation lists every match that way with a locator naming it by its text
  (``aka get_by_role("cell", name="Quentin M…")``): shown by the tag alone;
- an action's own line quotes what it typed (``- fill("<the value>")``): shown as ``…``;
- an assertion (``expect``) says what it expected and what it found (``Actual value:``,
  ``unexpected value "…"``) and appends an *aria snapshot* of the page (every name,
  every field's value, a typed password included): the snapshot is dropped, values
  kept only when they are a number or a state word (``hidden``, ``3``), URLs without
  their query.

The redactor cannot do this: it knows the secrets rendered into the run, not what the
page shows. What is left is the first line (what failed), the selector the flow asked
for and the call log's own steps (what Playwright was waiting for), at most
``most_lines`` of it; and, for a portal nothing answers at, a hint saying so in plain
words, naming the portal's origin only (a path may carry a patient's MRN).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from portwright.shown_url import shown_url

__all__ = ["describe_playwright_error", "unreachable_hint"]

#: a call-log entry for a request sent (→) or a response received (←); the lines indented
#: under it are that message's headers
_MESSAGE_ENTRY = re.compile(r"^- [→←] ")
#: a URL in Playwright's words (a page it navigated to, one it waited for)
_URL = re.compile(r"https?://[^\s\"'<>]+")
_REFUSED = re.compile(
    r"ECONNREFUSED (?P<target>\S+)|net::ERR_CONNECTION_REFUSED at (?P<url>\S+)"
)
_UNKNOWN_HOST = re.compile(r"ENOTFOUND (?P<host>\S+)|net::ERR_NAME_NOT_RESOLVED")

#: an element as Playwright previews it: ``<tag attr="v">text</tag>`` or ``<tag attr/>``
#: (attribute values are neither escaped nor always whole: read up to the element's end);
#: a bare ``<input>`` in Playwright's own words ("is not an <input>") is left alone
_ELEMENT = re.compile(r"<(?P<tag>[A-Za-z][\w-]*)(?:\s[^\n]*?)?(?:/>|>[^\n]*?</(?P=tag)>)")
#: "locator resolved to [hidden |visible ]<td ...>...": everything after the tag, and a
#: strict-mode violation's numbered matches "2) <td ...>...</td> aka get_by_role(...)",
#: the locator Playwright suggests naming the element by its text
_RESOLVED_TO = re.compile(
    r"(?P<lead>resolved to (?:\d+ elements?[:.]? )?(?:hidden |visible )?|^\s*\d+\) )"
    r"<(?P<tag>[A-Za-z][\w-]*)[^\n]*")
#: an action's own call-log line, quoting what it types or picks: ``- fill("...")``
_ACTION_ARGUMENTS = re.compile(r"^(?P<lead>\s*- [A-Za-z_]+)\(.*\)\s*$")
#: what an assertion expected: "Locator expected to have text 'Quentin ...'"
_EXPECTED = re.compile(r"(?P<lead>expected (?:not )?to [^'\n]*?)'(?P<value>.*)'(?P<tail>\s*)$")
#: what it found: "Actual value: <text>" and the call log's "unexpected value "<text>""
_ACTUAL = re.compile(r"^(?P<lead>\s*Actual value: ?)(?P<value>.*?)\s*$")
_UNEXPECTED = re.compile(r'^(?P<lead>.*unexpected value )"(?P<value>.*?)(?P<end>"?)\s*$')
#: values safe to show as Playwright found them: counts and element states
_PLAIN_VALUE = re.compile(
    r"^(?:-?\d+(?:\.\d+)?|None|null|true|false|hidden|visible|enabled|disabled|editable"
    r"|checked|unchecked|attached|detached|focused|empty|about:blank)$")
_URL_VALUE = re.compile(r"^https?://\S+$")


def _element_tag(found: re.Match[str]) -> str:
    return f"<{found.group('tag')} …>"


def _shown_line(line: str) -> str:
    """One line without the page's text in it (see the module's docstring)."""
    line = _RESOLVED_TO.sub(lambda found: f"{found.group('lead')}<{found.group('tag')} …>",
                            line)
    line = _INTERCEPTS.sub(_telling_blocker, line)
    if not line.rstrip().endswith("intercepts pointer events"):
        line = _ELEMENT.sub(_element_tag, line)
    line = _ACTION_ARGUMENTS.sub(lambda found: f"{found.group('lead')}(…)", line)
    line = _EXPECTED.sub(lambda found: f"{found.group('lead')}'{_value(found.group('value'))}'"
                                       f"{found.group('tail')}", line)
    return _URL.sub(lambda found: shown_url(found.group(0)), line)


def _value(value: str) -> str:
    """A value an assertion quotes, if it is a count, a state or a URL; else ``…``."""
    if _PLAIN_VALUE.match(value.strip()):
        return value.strip()
    if _URL_VALUE.match(value.strip()):
        return shown_url(value.strip())
    return "…"


def _without_values(lines: list[str]) -> list[str]:
    """``lines`` without an assertion's quoted values (found text may span lines) and
    without its aria snapshot of the page."""
    kept: list[str] = []
    #: where the value being left out ends: at "Call log:" (an actual value), or only at
    #: the end (an unexpected value over several lines: an aria snapshot, whose lines end
    #: in quotes of their own; Playwright writes it last)
    skipping_until: str | None = None
    for line in lines:
        stripped = line.strip()
        if skipping_until == "call log":
            if stripped != "Call log:" and not stripped.startswith("Error: "):
                continue
            skipping_until = None
        elif skipping_until == "end":
            continue
        if stripped == "Aria snapshot:":
            skipping_until = "call log"
            continue
        actual = _ACTUAL.match(line)
        if actual:
            kept.append(f"{actual.group('lead')}{_value(actual.group('value'))}")
            skipping_until = "call log"  # a found value may go on over several lines
            continue
        unexpected = _UNEXPECTED.match(line)
        if unexpected:
            kept.append(f'{unexpected.group("lead")}"{_value(unexpected.group("value"))}"')
            if not unexpected.group("end"):
                skipping_until = "end"
            continue
        kept.append(line)
    return kept


def describe_playwright_error(message: str, most_lines: int = 8) -> str:
    """``message`` without header lines, query strings or the page's text, cut to
    ``most_lines`` lines."""
    kept: list[str] = []
    headers_deeper_than: int | None = None
    for line in _without_values(message.strip().splitlines()):
        indent = len(line) - len(line.lstrip())
        if headers_deeper_than is not None:
            if indent > headers_deeper_than:
                continue
            headers_deeper_than = None
        if _MESSAGE_ENTRY.match(line.lstrip()):
            headers_deeper_than = indent
        kept.append(_shown_line(line.rstrip()))
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


def _origin(url: str) -> str:
    """``url``'s scheme, host and port (and ``/``): where nothing answered (its path
    may be PHI)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return shown_url(url)
    return f"{parts.scheme}://{parts.netloc}/" if parts.netloc else shown_url(url)


def unreachable_hint(message: str) -> str | None:
    """A plain-words hint when nothing answered at the portal's address, else None."""
    refused = _REFUSED.search(message)
    if refused:
        where = refused.group("target") or _origin(refused.group("url"))
        return (f"nothing answers at {where}: is the portal (or the sandbox) running, "
                "and is the portal URL right?")
    if _UNKNOWN_HOST.search(message):
        return "the portal's host name does not resolve: check the portal URL"
    return None
