"""A URL as an error, a log or a report may show it: without its query or fragment.

A portal's URLs carry what a person searched for and which record they opened in the
query (``/patients?q=<a patient's name>``, ``?mrn=...``): PHI, in a message that reaches a
terminal, a CI log or a drift report. Path and host say where the page was, which is what
a reader of the message needs; ``?…`` says something was cut.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

__all__ = ["shown_url"]


def shown_url(url: str) -> str:
    """``url`` with its query and fragment replaced by ``?…`` (unchanged if it has none)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url.split("?", 1)[0].split("#", 1)[0]
    if not parts.query and not parts.fragment:
        return url
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")) + "?…"
