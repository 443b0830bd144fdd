"""Handler of ``emit``: records → entities through ``load_adapter(portal).normalizer``."""

from __future__ import annotations

from typing import Any

from portwright.exceptions import AdapterNotFound
from portwright.flow.steps.emit import EmitStep
from portwright.runner.context import RunContext


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
                           f"{type(exc).__name__}") from exc
    run.note(step, emitted=len(records))
