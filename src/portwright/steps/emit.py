"""Handler of ``emit``: records → entities through ``load_adapter(portal).normalizer``."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from portwright.exceptions import AdapterNotFound, EntityInvalid, EntityValidationError
from portwright.flow.steps.emit import EmitStep
from portwright.runner.context import RunContext

_SHOWN = 5


def _problems(exc: Exception) -> list[tuple[str, str]] | None:
    """Each failed field's JSON path and the rule it broke, without the values: a record
    is page data (PHI), and pydantic's own text quotes every offending input.

    Normalizers build entities with :func:`portwright.entities.validate`, whose
    :class:`EntityValidationError` lists value-free ``problems``; a raw pydantic error
    is reduced to the same. Anything else may quote the record: None, and only its kind
    is shown.
    """
    if isinstance(exc, EntityValidationError) and exc.problems:
        return [(problem.field, problem.message) for problem in exc.problems]
    if isinstance(exc, ValidationError):
        return [(".".join(str(part) for part in error["loc"]), error["msg"])
                for error in exc.errors(include_url=False, include_input=False)]
    return None


def _why(exc: Exception, problems: list[tuple[str, str]] | None) -> str:
    """The problems as one line (the first few), or the error's kind."""
    if problems is None:
        return type(exc).__name__
    shown = [f"{path or 'the record'}: {message}" for path, message in problems]
    more = len(shown) - _SHOWN
    return "; ".join(shown[:_SHOWN]) + (f" (and {more} more)" if more > 0 else "")


async def handle(step: EmitStep, run: RunContext) -> None:
    records = run.evaluate(step.from_)
    if records is None:
        records = []
    if isinstance(records, dict):
        records = [records]
    try:
        normalize = run.engine.adapter(run.flow.portal).normalizer(step.entity)
    except AdapterNotFound as exc:
        raise run.fail(step, f"cannot emit {step.entity}: {exc.message}",
                       hint=exc.hint or "add a normalizer to the adapter's 'normalizers'") \
            from None
    out: list[Any] = run.outputs.setdefault(step.to or step.entity, [])
    for index, record in enumerate(records):
        try:
            out.append(normalize(record))
        except Exception as exc:
            problems = _problems(exc)
            raise EntityInvalid(
                run.redact(f"record {index} is not a valid {step.entity}: "
                           f"{_why(exc, problems)}"),
                flow=run.flow.flow, step=step.title, entity=step.entity,
                fields=list(dict.fromkeys(path for path, _ in problems or () if path)),
            ) from None  # its cause would quote the values
    run.note(step, emitted=len(records))
