"""Checking and converting a flow's inputs against its header (CLI gives text).

Every problem is a :class:`FlowInputError` naming the flow and the input, never a bare
``ValueError``: the conversion rule (:mod:`portwright.flow.input_values`) is the one the
loader checks defaults and choices with.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from portwright.exceptions import FlowInputError
from portwright.flow.input_values import CONVERSION_ERRORS, EXPECTED, convert
from portwright.flow.model import Flow, InputSpec
from portwright.runner.transforms import value_shape

__all__ = ["coerce_inputs"]


def _converted(flow: Flow, name: str, spec: InputSpec, value: Any, shown: str) -> Any:
    """``value`` converted to the input's type, or FlowInputError saying what was expected."""
    try:
        return convert(spec.type, value)
    except CONVERSION_ERRORS:
        raise FlowInputError(f"{shown} is not {EXPECTED[spec.type]}", flow=flow.flow,
                             field=name) from None


def _allowed(flow: Flow, name: str, spec: InputSpec) -> list[Any] | None:
    try:
        return spec.allowed()
    except CONVERSION_ERRORS:  # a flow built in code, past the loader's checks
        raise FlowInputError(f"the flow's choices are not all {EXPECTED[spec.type]}",
                             flow=flow.flow, field=name) from None


def _command_line_hint(name: str, expected: str) -> str:
    """How a person running the flow gives the input ``name`` that is missing."""
    return f"pass --input {name}=<{expected}>"


def coerce_inputs(flow: Flow, given: Mapping[str, Any] | None, *,
                  missing_hint: Callable[[str, str], str] = _command_line_hint
                  ) -> dict[str, Any]:
    """Declared inputs with defaults applied and values converted; unknown names fail.

    ``missing_hint(name, expected)`` says how to give a required input that is missing:
    on the command line by default; a ``call`` step's check says where its inputs go."""
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
                                     hint=missing_hint(name, EXPECTED[spec.type]))
            # the loader refuses a default of another type; a flow built in code may not
            out[name] = _converted(flow, name, spec, spec.default, "the flow's default")
            continue
        shown = "the given value" if spec.secret else f"the value {value_shape(str(given[name]))}"
        out[name] = _converted(flow, name, spec, given[name], shown)
        allowed = _allowed(flow, name, spec)
        if allowed is not None and out[name] not in allowed:
            listed = ", ".join(repr(c) for c in spec.choices or ())
            raise FlowInputError(f"{shown} is not one of the choices", flow=flow.flow,
                                 field=name, hint=f"choices: {listed}")
    return out
