"""Comparing a run's output with its golden file, and saying precisely what differs.

The golden file holds what a replay must produce: ``{"outputs": {...}}`` for a run that
succeeds, or ``{"error": {"type": ..., "messages": [...]}}`` for a scenario whose point
is that the portal rejects the input (a validation error). Run-specific noise (timings,
step logs) is not part of it; only what a caller of the flow relies on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from portwright.exceptions import PortalValidationError, PortwrightError, ReplayMismatch

__all__ = ["assert_matches_golden", "diff", "golden_from_error", "golden_from_outputs",
           "same_json"]


def golden_from_outputs(outputs: dict[str, Any]) -> dict[str, Any]:
    """The golden document of a successful run (JSON-normalized, saved files by name)."""
    normalized: dict[str, Any] = _saved_files_by_name(json.loads(json.dumps(outputs,
                                                                               default=str)))
    return {"outputs": normalized}


def _saved_files_by_name(value: Any) -> Any:
    """A downloaded file's record (``path``, ``filename``, ``size``) names where this run
    saved it and how big the portal's bytes were; scrubbing re-packs the bytes and each run
    saves elsewhere, so only the file name is compared."""
    if isinstance(value, dict):
        if {"path", "filename", "size"} <= set(value):
            return {**value, "path": SAVED_FILE, "size": SAVED_FILE}
        return {k: _saved_files_by_name(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_saved_files_by_name(v) for v in value]
    return value


SAVED_FILE = "<saved file>"


def golden_from_error(error: PortwrightError) -> dict[str, Any]:
    """The golden document of a run that must fail the same way on replay."""
    body: dict[str, Any] = {"type": type(error).__name__}
    if isinstance(error, PortalValidationError):
        body["messages"] = list(error.messages)
    return {"error": body}


def diff(expected: Any, actual: Any, path: str = "$", *, was: str = "expected"
         ) -> Iterator[str]:
    """Human-readable differences, each with its JSON path: the actual value, then the
    expected one after ``was`` ("expected" when checking, "was" when accepting)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual), key=str):
            if key not in actual:
                yield f"{path}.{key}: missing ({was} {_short(expected[key])})"
            elif key not in expected:
                yield f"{path}.{key}: unexpected ({_short(actual[key])})"
            else:
                yield from diff(expected[key], actual[key], f"{path}.{key}", was=was)
    elif isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            yield f"{path}: {len(actual)} items, {was} {len(expected)}"
        for i, (e, a) in enumerate(zip(expected, actual, strict=False)):
            yield from diff(e, a, f"{path}[{i}]", was=was)
    elif _json_type(expected) != _json_type(actual):
        # Python calls 28 == 28.0 and 1 == True; a caller of the flow reading JSON does
        # not, so a normalizer that starts emitting floats or booleans is a difference
        yield (f"{path}: {_short(actual)} ({_json_type(actual)}), {was} {_short(expected)} "
               f"({_json_type(expected)})")
    elif expected != actual:
        yield f"{path}: {_short(actual)}, {was} {_short(expected)}"


def _json_type(value: Any) -> str:
    """The JSON kind of a leaf, telling integers, numbers and booleans apart."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if value is None:
        return "null"
    if isinstance(value, str):
        return "string"
    return type(value).__name__


def same_json(expected: Any, actual: Any) -> bool:
    """Equal as JSON documents (types included): what ``diff`` reports nothing for."""
    return next(diff(expected, actual), None) is None


def _short(value: Any) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def assert_matches_golden(golden: dict[str, Any], actual: dict[str, Any], *, where: str) -> None:
    """Raise ``ReplayMismatch`` listing every difference between golden and actual."""
    differences = list(diff(golden, actual))
    if differences:
        shown = "\n  ".join(differences[:20])
        more = f"\n  ... and {len(differences) - 20} more" if len(differences) > 20 else ""
        raise ReplayMismatch(
            f"{where}: replayed output differs from the golden file:\n  {shown}{more}",
            hint="if the flow's output changed on purpose, accept it with `portwright replay "
                 "--update-golden` (the portal traffic is unchanged); if the portal changed, "
                 "re-record with --record-mode all",
        )
