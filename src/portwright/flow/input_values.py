"""Converting a value to a flow input's declared type: one rule for defaults, choices and
the values a run is given.

The flow loader checks each ``default`` and every entry of ``choices`` with it, so a
definition whose default no run could use is refused at its line; the runner converts the
values it is given with it (:func:`portwright.runner.inputs.coerce_inputs`). A value the
type refuses raises ``ValueError``/``TypeError`` (``OverflowError`` for an infinite
number); callers turn that into their own error with :data:`EXPECTED`.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

__all__ = ["CONVERSION_ERRORS", "EXPECTED", "convert"]

_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}

#: what each input type accepts, in words (for "expected ..." and hints)
EXPECTED = {"string": "text", "int": "a whole number", "float": "a number",
            "bool": "true or false", "date": "an ISO date (2026-01-31)",
            "datetime": "an ISO date-time (2026-01-31T09:00:00Z)",
            "list": "a list (JSON or comma-separated)", "object": "a JSON object"}

#: what :func:`convert` raises for a value its type refuses
CONVERSION_ERRORS = (ValueError, TypeError, OverflowError)


def convert(kind: str, value: Any) -> Any:
    """``value`` as input type ``kind`` (None stays None); raises one of
    :data:`CONVERSION_ERRORS` when the value is not of that type."""
    if value is None:
        return None
    if kind == "string":
        if isinstance(value, dict | list | tuple):
            raise TypeError("text")
        return str(value)
    if kind == "int":
        if isinstance(value, bool):
            raise TypeError("a whole number")
        if isinstance(value, float) and not value.is_integer():
            raise ValueError("a whole number")
        return int(value)
    if kind == "float":
        if isinstance(value, bool):
            raise TypeError("a number")
        return float(value)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE | _FALSE:
            return text in _TRUE
        raise ValueError("true or false")
    if kind == "date":
        return value if isinstance(value, date) and not isinstance(value, datetime) \
            else date.fromisoformat(str(value))
    if kind == "datetime":
        return value if isinstance(value, datetime) else datetime.fromisoformat(
            str(value).replace("Z", "+00:00"))
    if kind == "list":
        if isinstance(value, list | tuple):
            return list(value)
        text = str(value).strip()
        if text.startswith("["):
            parsed = json.loads(text)
            if isinstance(parsed, list):
                return parsed
        return [p.strip() for p in text.split(",") if p.strip()]
    if kind == "object":
        if isinstance(value, dict):
            return value
        parsed = json.loads(str(value))
        if not isinstance(parsed, dict):
            raise ValueError("a JSON object")
        return parsed
    return value
