"""Turn pydantic's errors into portwright's: one ``FieldProblem`` per field, camelCase paths.

Callers (emit steps, the REST layer, normalizers) should not need to know pydantic's
error format. They get an :class:`~portwright.exceptions.EntityValidationError` whose
``problems`` say *which field* (``insurance[0].effectiveStart``) and *why*, without the
offending value: inputs are patient data and error messages end up in logs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from portwright.exceptions import EntityValidationError, FieldProblem

__all__ = ["CrossFieldError", "field_problems", "validate"]

M = TypeVar("M", bound=BaseModel)

_FRIENDLY: Mapping[str, str] = {
    "missing": "required",
    "extra_forbidden": "unknown field (not part of the schema)",
}
# pydantic adds the tried union member or validator kind to the location; a user thinks
# in fields, so these labels are dropped from paths.
_UNION_TAGS = frozenset({"int", "bool", "str", "float", "none", "function-after",
                         "function-before", "function-plain", "function-wrap", "list",
                         "dict", "date", "datetime", "lax-or-strict"})


class CrossFieldError(ValueError):
    """A rule that relates several fields, blamed on the one the user should fix.

    Raised from a model validator; :func:`field_problems` puts ``field`` (a camelCase
    name, or a dotted path) into the problem's path instead of reporting the whole model.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _path(loc: Sequence[int | str]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part in _UNION_TAGS or part.startswith(("function-", "literal[")):
            continue
        else:
            text += f".{part}" if text else part
    return text


def _message(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind in _FRIENDLY:
        return _FRIENDLY[kind]
    message = error["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            message = message[len(prefix):]
    return message


def field_problems(error: ValidationError) -> list[FieldProblem]:
    """One problem per pydantic error, with a readable path and no input values."""
    problems: list[FieldProblem] = []
    seen: set[tuple[str, str]] = set()
    for detail in error.errors(include_input=False, include_url=False):
        loc: list[int | str] = list(detail["loc"])
        ctx = detail.get("ctx") or {}
        cause = ctx.get("error")
        message = _message(detail)
        if isinstance(cause, CrossFieldError):
            loc.extend(cause.field.split("."))
            message = cause.message
        path = _path(loc) or "(entity)"
        if (path, message) not in seen:
            seen.add((path, message))
            problems.append(FieldProblem(path, message))
    return problems


def validate(model: type[M], data: Mapping[str, Any] | M) -> M:
    """Build ``model`` from ``data`` (camelCase or snake_case keys) or raise clearly.

    Raises :class:`EntityValidationError` naming the entity and listing every problem.
    """
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = field_problems(exc)
        count = len(problems)
        raise EntityValidationError(
            f"{model.__name__} is not valid: {count} problem{'s' if count != 1 else ''}",
            problems=problems,
        ) from None
