"""Checking and converting a flow's inputs against its header (CLI gives text)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from portwright.exceptions import FlowInputError
from portwright.flow.model import Flow, InputSpec
from portwright.runner.transforms import value_shape

__all__ = ["coerce_inputs"]

_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}


def _convert(spec: InputSpec, value: Any) -> Any:
    kind = spec.type
    if value is None:
        return None
    if kind == "string":
        return str(value)
    if kind == "int":
        if isinstance(value, bool):
            raise ValueError("a whole number")
        return int(value)
    if kind == "float":
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


_EXPECTED = {"string": "text", "int": "a whole number", "float": "a number",
             "bool": "true or false", "date": "an ISO date (2026-01-31)",
             "datetime": "an ISO date-time (2026-01-31T09:00:00Z)",
             "list": "a list (JSON or comma-separated)", "object": "a JSON object"}


def coerce_inputs(flow: Flow, given: Mapping[str, Any] | None) -> dict[str, Any]:
    """Declared inputs with defaults applied and values converted; unknown names fail."""
    given = dict(given or {})
    out: dict[str, Any] = {}
    for name in given:
        if name not in flow.inputs:
            known = ", ".join(sorted(flow.inputs)) or "none"
            raise FlowInputError("not declared by the flow", flow=flow.flow, field=name,
                                 hint=f"declared inputs: {known}")
    for name, spec in flow.inputs.items():
        if name not in given or given[name] is None:
            if spec.is_required:
                raise FlowInputError("is required", flow=flow.flow, field=name,
                                     hint=f"pass --input {name}=<{_EXPECTED[spec.type]}>")
            out[name] = None if spec.default is None else _convert(spec, spec.default)
            continue
        shown = "the given value" if spec.secret else f"the value {value_shape(str(given[name]))}"
        try:
            out[name] = _convert(spec, given[name])
        except (ValueError, TypeError, json.JSONDecodeError):
            raise FlowInputError(f"{shown} is not {_EXPECTED[spec.type]}", flow=flow.flow,
                                 field=name) from None
        if spec.choices is not None and out[name] not in spec.choices:
            listed = ", ".join(repr(c) for c in spec.choices)
            raise FlowInputError(f"{shown} is not one of the choices", flow=flow.flow,
                                 field=name, hint=f"choices: {listed}")
    return out
