"""A URL as an error, a log or a report may show it: without its query or fragment, and
with the running flow's input values shown as their placeholders.

A portal's URLs carry what a person searched for and which record they opened in the
query (``/patients?q=<a patient's name>``, ``?mrn=...``): PHI, in a message that reaches a
terminal, a CI log or a drift report. Path and host say where the page was, which is what
a reader of the message needs; ``?…`` says something was cut.

The path carries them too, and not only where the flow put them: a URL the flow built
is shown as the flow wrote it (``/patients/{{ inputs.mrn }}``), but the portal redirects
to pages of its own (``/patients/MRN-0042/summary``). While a flow's steps run
(:func:`inputs_as_placeholders`), each of its input values found in a URL's path is
shown as ``{{ inputs.<name> }}`` (the query is cut anyway), raw or percent-encoded,
whatever its case: one rule for every URL shown, whoever built it. Values shorter than
:data:`SHORTEST_VALUE` or that are a bare keyword (``true``, ``none``) are left: they
would be found in the portal's own words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import Any
from urllib.parse import quote, quote_plus, urlsplit, urlunsplit

__all__ = ["SHORTEST_VALUE", "cuts_query", "inputs_as_placeholders", "shown_url"]

#: an input value shorter than this is not looked for ("12", "ok" are in any URL)
SHORTEST_VALUE = 4
#: values that are a word of the portal's as often as anyone's input
_KEYWORDS = frozenset({"true", "false", "none", "null", "undefined"})
#: what the browser leaves as it is when it writes a URL it opened (the rest is encoded)
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"

#: each form (raw, encoded) of the running flow's input values, with its placeholder:
#: one pattern finding any of them (longest first), and the placeholder of each form
_Placeholders = tuple[re.Pattern[str], dict[str, str]] | None
_shown_inputs: ContextVar[_Placeholders] = ContextVar("portwright_shown_inputs", default=None)


def _texts(value: Any) -> list[str]:
    """How ``value`` reads once a template renders it (a date also in ISO form); a list,
    a mapping, a bool or None renders as no value a URL would carry whole."""
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, date):
        return [str(value), value.isoformat()]
    if isinstance(value, str | int | float):
        return [str(value)]
    return []


def _placeholders(inputs: Mapping[str, Any]) -> _Placeholders:
    """The pattern and placeholders for ``inputs`` (None when none is worth looking for)."""
    forms: dict[str, str] = {}
    for name, value in inputs.items():
        for text in _texts(value):
            text = text.strip()
            if len(text) < SHORTEST_VALUE or text.lower() in _KEYWORDS:
                continue
            for form in (text, quote(text, safe=_URL_SAFE), quote(text, safe=""),
                         quote_plus(text)):
                forms.setdefault(form.lower(), "{{ inputs." + name + " }}")
    if not forms:
        return None
    pattern = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
    return re.compile(pattern, re.IGNORECASE), forms


@contextmanager
def inputs_as_placeholders(inputs: Mapping[str, Any]) -> Iterator[None]:
    """While the block runs (a flow's steps), URLs shown name ``inputs`` by placeholder."""
    token = _shown_inputs.set(_placeholders(inputs))
    try:
        yield
    finally:
        _shown_inputs.reset(token)


def _without_inputs(text: str) -> str:
    """``text`` (a URL's path or query) with the running flow's input values replaced."""
    placeholders = _shown_inputs.get()
    if placeholders is None or not text:
        return text
    pattern, forms = placeholders
    return pattern.sub(lambda found: forms[found.group(0).lower()], text)


def shown_url(url: str) -> str:
    """``url`` with its query and fragment replaced by ``?…`` (if it has any) and the
    running flow's input values in its path as their placeholders (see the module)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return _without_inputs(url.split("?", 1)[0].split("#", 1)[0])
    path = _without_inputs(parts.path)
    if not parts.query and not parts.fragment:
        if path == parts.path:
            return url
        return urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    return urlunsplit((parts.scheme, parts.netloc, path, "", "")) + "?…"


def cuts_query(url: str) -> bool:
    """Whether :func:`shown_url` cuts a query or fragment off ``url`` (shown as ``?…``):
    the template a URL was rendered from is then shown without its own query too."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "?" in url or "#" in url
    return bool(parts.query or parts.fragment)
