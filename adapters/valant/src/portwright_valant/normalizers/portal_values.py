"""Reading values the way the Valant portal shows them, into the entities' canonical input.

Both UI versions print the same data differently: 2025.4 writes ``Nguyen, Avery`` and
``1992-04-17`` and ``Active``; 2026.1 writes ``Avery Nguyen`` and ``04/17/1992`` and
``active``; the 2026.1 internal JSON already uses the reference API's camelCase shape.
Every such display rule lives here, once, so each entity normalizer reads as a plain
field mapping and a UI change touches one function.

Functions return ``None`` for an empty cell: the entity decides whether that is allowed,
and its validation error names the field (never the value, which may be PHI).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = [
    "codes",
    "first",
    "flag",
    "free_text",
    "json_list",
    "money",
    "multiline_text",
    "person_name",
    "portal_date",
    "portal_timestamp",
    "slug",
    "text",
]

# [0-9], not \d: int() reads full-width digits, so \d would turn a date typed in
# other digits into a valid-looking ISO one the entity never gets to refuse.
_US_DATE = re.compile(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$")
#: A naive time to the minute or second, seconds possibly with a fraction
#: ("11:02:43.5"): a fraction does not make a UTC time any less UTC.
_NAIVE_MINUTE = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?$")
#: what a date cell shows when there is no date (2026.1: coverage "To: open", "Invited: never")
_NO_DATE = frozenset({"open", "never", "ongoing", "present"})
_TRUE = frozenset({"yes", "y", "true", "1", "on", "checked", "signed", "enabled", "✓"})
_FALSE = frozenset({"no", "n", "false", "0", "off", "", "unsigned", "disabled", "—", "-"})


def text(value: Any) -> str | None:
    """A cell's text with whitespace collapsed; ``None`` when empty or a dash placeholder."""
    if value is None:
        return None
    if not isinstance(value, str):
        return str(value)
    collapsed = " ".join(value.split())
    return None if collapsed in ("", "\u2014", "-", "\u2013", "n/a", "N/A", "None") else collapsed


def free_text(value: Any) -> str | None:
    """Text someone typed (a title, a note, a reason) with whitespace collapsed; ``None``
    only when empty.

    Unlike :func:`text`, a dash, ``N/A`` or ``None`` is kept: the portal prints free text
    verbatim and an empty one as an empty cell, so such a value is what was typed (a task
    titled ``N/A`` is a task, not a missing title).
    """
    if value is None:
        return None
    collapsed = " ".join(str(value).split())
    return collapsed or None


def multiline_text(value: Any) -> str | None:
    """Text typed in a multi-line box (a front-desk note) with its lines, tabs and inner
    spaces as typed; ``None`` only when empty.

    The portal shows such text with its line breaks, so collapsing it as :func:`free_text`
    does would turn a list of instructions into one run-on line. Only what HTML cannot
    carry is changed: a CR LF (or lone CR) becomes LF, and the blank space around the
    whole text goes.
    """
    if value is None:
        return None
    kept = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    return kept or None


def first(record: Mapping[str, Any], *keys: str) -> Any:
    """The first present, non-empty value among ``keys`` (raw DOM or JSON spelling)."""
    for key in keys:
        value = record.get(key)
        if value is not None and value != "":
            return value
    return None


def slug(value: Any) -> str | None:
    """A display label as a snake_case code: ``Checked-in`` → ``checked_in``,
    ``Patient Portal`` → ``patient_portal``, ``Not invited`` → ``not_invited``."""
    shown = text(value)
    if shown is None:
        return None
    return re.sub(r"[^a-z0-9]+", "_", shown.lower()).strip("_") or None


def flag(value: Any) -> bool:
    """A yes/no cell (``Yes``, ``✓``, ``true``, a checkbox's ``checked``) as a bool."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value)
    shown = (text(value) or "").lower()
    if shown in _TRUE:
        return True
    if shown in _FALSE:
        return False
    raise ValueError(f"expected a yes/no value, got {shown!r}")


def portal_date(value: Any) -> str | None:
    """A date shown as ``YYYY-MM-DD`` or the US ``MM/DD/YYYY`` as ISO ``YYYY-MM-DD``."""
    shown = text(value)
    if shown is None or shown.lower() in _NO_DATE:
        return None
    us = _US_DATE.match(shown)
    if us:
        month, day, year = (int(part) for part in us.groups())
        return f"{year:04d}-{month:02d}-{day:02d}"
    return shown


def portal_timestamp(value: Any) -> str | None:
    """A timestamp as ISO 8601 UTC.

    The sandbox (like Valant's own exports) stores and prints UTC; a value printed without
    an offset but with a trailing ``UTC`` label, or as ``YYYY-MM-DD HH:MM`` on a page that
    states its times are UTC, is read as UTC. Anything with an explicit offset is kept and
    converted by the entity.
    """
    shown = text(value)
    if shown is None or shown.lower() in _NO_DATE:
        return None
    if shown.endswith(" UTC"):
        shown = shown[: -len(" UTC")].strip()
        if _NAIVE_MINUTE.match(shown):
            return _as_utc(shown)
    if _NAIVE_MINUTE.match(shown):
        return _as_utc(shown)
    return shown


def _as_utc(naive: str) -> str:
    moment = datetime.fromisoformat(naive.replace(" ", "T")).replace(tzinfo=UTC)
    return moment.isoformat().replace("+00:00", "Z")


def person_name(record: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(first, last) from separate fields, else from a ``name`` cell.

    ``Last, First`` (2025.4) is unambiguous; ``First Last`` (2026.1) is split at the last
    space, so a two-word surname is only right when the fields come separately. The
    2026.1 flows therefore pass them separately wherever a name is read (the chart's
    fields, the JSON's ``firstName``/``lastName``, the given- and family-name parts of the
    clinician and rendering cells); the split is the last resort of a record without them.

    A name is what someone typed (:func:`free_text`): a one-name person is often entered
    with ``-`` or ``N/A`` as the first name, and a surname may well be ``Null``; reading
    those as empty cells made the whole patient list fail on that one person.
    """
    first_name = free_text(first(record, "first_name", "firstName"))
    last_name = free_text(first(record, "last_name", "lastName"))
    if first_name and last_name:
        return first_name, last_name
    shown = free_text(record.get("name"))
    if shown is None:
        return first_name, last_name
    if "," in shown:
        last_part, first_part = (part.strip() for part in shown.split(",", 1))
        return first_part or None, last_part or None
    if " " in shown:
        first_part, last_part = shown.rsplit(" ", 1)
        return first_part, last_part
    return None, shown


def codes(value: Any) -> list[str]:
    """A list of codes shown as ``99214, 90833`` / ``99214+90833`` / one per line, or a list."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip().upper() for v in value if str(v).strip()]
    return [c.strip().upper() for c in re.split(r"[,+;\s]+", str(value)) if c.strip()]


def money(value: Any) -> Decimal | None:
    """``$1,234.50`` / ``(12.00)`` (accounting negative) / ``120`` as a Decimal."""
    if value is None:
        return None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return Decimal(str(value))
    shown = text(value)
    if shown is None:
        return None
    negative = shown.startswith("(") and shown.endswith(")")
    cleaned = shown.strip("()").replace("$", "").replace(",", "").strip()
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"expected an amount such as $120.00, got {shown!r}") from None
    return -amount if negative else amount


def json_list(value: Any) -> list[Any]:
    """A list embedded as JSON text in a ``data-*`` attribute (or already a list)."""
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return value
    parsed = json.loads(str(value))
    if not isinstance(parsed, list):
        raise ValueError("expected a JSON list")
    return parsed
