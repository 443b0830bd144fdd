"""Named transforms for extracted text (``transform: [strip, int]``), one registry.

A transform takes the raw value (text, or None when an optional element is missing) and
returns the cleaned value. ``re:<pattern>`` keeps the first group (or the whole match).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

__all__ = ["TRANSFORMS", "apply_transforms", "known_transform", "value_shape"]


def _num_text(v: Any) -> str:
    return re.sub(r"[,\s$]", "", str(v))


def _to_int(v: Any) -> int | None:
    if v in (None, ""):
        return None
    try:
        return int(_num_text(v))
    except ValueError:
        raise ValueError(f"not a whole number: {value_shape(str(v))}") from None


def _to_float(v: Any) -> float | None:
    if v in (None, ""):
        return None
    try:
        return float(_num_text(v))
    except ValueError:
        raise ValueError(f"not a number: {value_shape(str(v))}") from None


def _to_bool(v: Any) -> bool:
    return str(v).strip().lower() in {"true", "yes", "y", "1", "on", "✓", "x", "checked", "active"}


_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%b %d, %Y", "%B %d, %Y", "%d %b %Y")
_DATETIME_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M",
                     "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M", "%Y-%m-%dT%H:%M:%S%z",
                     "%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%dT%H:%M")


def value_shape(text: str, most: int = 40) -> str:
    """What a value looks like, never what it is: letters as ``A``/``a``, digits as ``9``,
    the rest kept (``Apr 9, 1961`` reads ``Aaa 9, 9999``). The value is page data, a date
    of birth as like as not, and an error message travels; its shape is what tells a flow
    author which format the portal now uses."""
    shape = re.sub(r"[A-Z]", "A", re.sub(r"[a-z]", "a", re.sub(r"\d", "9", text[:most])))
    return f"shaped {shape!r}" + (f" (first {most} of {len(text)} characters)"
                                   if len(text) > most else "")


def _to_date(v: Any) -> str | None:
    if v in (None, ""):
        return None
    text = str(v).strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise ValueError(f"not a date in a known format: {value_shape(text)}")


def _to_datetime(v: Any) -> str | None:
    if v in (None, ""):
        return None
    text = str(v).strip().replace("Z", "+00:00")
    try:
        return datetime.fromisoformat(text).isoformat()
    except ValueError:
        pass
    for fmt in _DATETIME_FORMATS:
        try:
            return datetime.strptime(text, fmt).isoformat()
        except ValueError:
            continue
    raise ValueError(f"not a date-time in a known format: {value_shape(text)}")


TRANSFORMS: dict[str, Callable[[Any], Any]] = {
    "strip": lambda v: v.strip() if isinstance(v, str) else v,
    "collapse": lambda v: re.sub(r"\s+", " ", v).strip() if isinstance(v, str) else v,
    "lower": lambda v: v.lower() if isinstance(v, str) else v,
    "upper": lambda v: v.upper() if isinstance(v, str) else v,
    "empty_none": lambda v: None if isinstance(v, str) and not v.strip() else v,
    "int": _to_int,
    "float": _to_float,
    "bool": _to_bool,
    "digits": lambda v: re.sub(r"\D", "", v) if isinstance(v, str) else v,
    "date": _to_date,
    "datetime": _to_datetime,
    "split_comma": lambda v: [p.strip() for p in v.split(",") if p.strip()]
    if isinstance(v, str) else v,
}


def known_transform(name: str) -> bool:
    return name in TRANSFORMS or name.startswith("re:")


def apply_transforms(value: Any, names: list[str]) -> Any:
    for name in names:
        if name.startswith("re:"):
            if value is None:
                continue
            m = re.search(name[3:], str(value))
            value = (m.group(1) if m.groups() else m.group(0)) if m else None
            continue
        value = TRANSFORMS[name](value)
    return value
