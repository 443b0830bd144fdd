"""Handler of ``emit``: records → entities through ``load_adapter(portal).normalizer``."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from portwright.exceptions import AdapterNotFound, EntityValidationError
from portwright.flow.steps.emit import EmitStep
from portwright.runner.context import RunContext

_SHOWN = 5


def _why(exc: Exception) -> str:
    """Which fields failed and the rule each broke, without the values: a record is
    page data (PHI), and pydantic's own text quotes every offending input.

    Normalizers build entities with :func:`portwright.entities.validate`, whose
    :class:`EntityValidationError` lists value-free ``problems``; a raw pydantic error
    is reduced to the same. Anything else may quote the record, so only its kind shows.
    """
    if isinstance(exc, EntityValidationError) and exc.problems:
        problems = [str(problem) for problem in exc.problems]
    elif isinstance(exc, ValidationError):
        problems = [
            f"{'.'.join(str(part) for part in error['loc']) or 'the record'}: {error['msg']}"
            for error in exc.errors(include_url=False, include_input=False)
        ]
    else:
        return type(exc).__name__
    more = len(problems) - _SHOWN
    return "; ".join(problems[:_SHOWN]) + (f" (and {more} more)" if more > 0 else "")


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
            raise run.fail(step, f"record {index} is not a valid {step.entity}: "
                           f"{_why(exc)}") from None  # its cause would quote the values
    run.note(step, emitted=len(records))
