"""What kind of value a field holds (a number, an email, a date, words), baseline and live.

A column that moved under a positional selector (``td:nth-child(3)``) is the worst drift
there is: every strategy still finds an element, every field still holds a value, the run
succeeds, and the NPI field now holds the email. Columns of values cannot be compared
(live data differ by nature), but the kind of value a field holds does not change with
the data: an NPI is digits, an email has an ``@``. A field whose live values are all of kinds its
baseline never held reads something else now.

The kinds are coarse on purpose: free text of one kind (a name, a specialty) looks like
free text of another, and a finer signature (word counts, letter case) would flag live
data that merely differ. Two text columns that swapped are not caught here:
:mod:`portwright_monitor.moved_values` looks at where the values went.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from portwright.recording.golden import SAVED_FILE
from portwright_monitor.baseline import records_of

__all__ = ["changed_kinds", "value_kind"]

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                   r"(?:Z|[+-]\d{2}:?\d{2})?)?|\d{1,2}/\d{1,2}/\d{2,4}")
#: digits with the punctuation numbers, codes and phone numbers are written with
_NUMERIC = re.compile(r"[\d\s()+\-.,/#%$]*\d[\d\s()+\-.,/#%$]*")


def value_kind(value: Any) -> str | None:
    """``numeric``, ``email``, ``date``, ``boolean``, ``text`` (has letters), ``list`` or
    ``symbols``; None for an empty value (emptiness is :func:`emptied_fields`' concern)
    and for a golden's saved-file marker (a file's path and size are not kept)."""
    if value is None or value == "" or value == [] or value == SAVED_FILE:
        return None
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "numeric"
    if isinstance(value, list):
        return "list"
    text = str(value).strip()
    if not text:
        return None
    for kind, pattern in (("email", _EMAIL), ("date", _DATE), ("numeric", _NUMERIC)):
        if pattern.fullmatch(text):
            return kind
    return "text" if any(c.isalpha() for c in text) else "symbols"


def _kinds(record: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for key, value in record.items():
        if isinstance(value, Mapping):
            yield from _kinds(value, f"{prefix}{key}.")
        elif (kind := value_kind(value)) is not None:
            yield f"{prefix}{key}", kind


def _kinds_by_field(records: Iterable[Mapping[str, Any]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for record in records:
        for field, kind in _kinds(record):
            out.setdefault(field, set()).add(kind)
    return out


def changed_kinds(baseline: Mapping[str, Any], live: Mapping[str, Sequence[Mapping[str, Any]]]
                  ) -> dict[str, dict[str, tuple[list[str], list[str]]]]:
    """Entity output → field → (baseline kinds, live kinds) for every field filled on
    both sides whose live values share no kind with its baseline values."""
    recorded = records_of(baseline.get("outputs") or {})
    out: dict[str, dict[str, tuple[list[str], list[str]]]] = {}
    for name, records in live.items():
        before = recorded.get(name)
        if not records or not before:
            continue
        was = _kinds_by_field(before)
        now = _kinds_by_field(records)
        changed = {field: (sorted(was[field]), sorted(kinds))
                   for field, kinds in now.items()
                   if field in was and kinds.isdisjoint(was[field])}
        if changed:
            out[name] = dict(sorted(changed.items()))
    return out
