"""Handler of ``emit``: records → entities through ``load_adapter(portal).normalizer``."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from portwright.exceptions import AdapterNotFound
from portwright.flow.steps.emit import EmitStep
from portwright.runner.context import RunContext


def _why(exc: Exception) -> str:
    """Which fields failed and the rule each broke, without the values: a record is
    page data (PHI), and pydantic's own text quotes every offending input."""
    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or 'the record'}: {error['msg']}"
            for error in exc.errors(include_url=False, include_input=False)[:5]
        ) + (f" (and {exc.error_count() - 5} more)" if exc.error_count() > 5 else "")
    return type(exc).__name__


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
