"""Handler of ``call``: run a subflow in the same session.

The inputs it passes are checked against the called flow first: one it refuses fails
this step (:func:`~portwright.runner.nested_calls.check_call_inputs`). A ``require`` step
of the called flow refusing a value the caller computed fails this step too
(:class:`CallRequireError`): the mistake is the caller's (``portwright run`` exits 1, not
2 as for a mistyped command). A value the caller passed on exactly as it was given
(``end: "{{ inputs.end }}"``) is still the person's: the refusal is the calling flow's
own ``FlowInputError`` on that input, with the requirement's message, and so on up to
the flow a person runs (exit 2): an end time on another day is the person's mistake
however deep the check that catches it is.
"""

from __future__ import annotations

import re

from portwright.exceptions import CallRequireError, FlowInputError
from portwright.flow.steps.call import CallStep
from portwright.runner.context import RunContext
from portwright.runner.nested_calls import check_call_inputs


async def handle(step: CallStep, run: RunContext) -> None:
    inputs = {k: run.render(v) for k, v in step.inputs.items()}
    check_call_inputs(run, step, inputs)
    try:
        outputs = await run.call(step.flow, inputs)
    except FlowInputError as exc:
        given = _passed_on(step, exc.field)
        if given is not None:  # the person's value, refused: their mistake, their input
            raise FlowInputError(exc.reason, flow=run.flow.flow, field=given,
                                 hint=exc.hint) from None
        raise _refused_by_called_flow(step, run, exc) from None
    if step.into:
        run.set_var(step.into, outputs)


#: a value passed on exactly as the calling flow was given it
_PASSED_ON = re.compile(r"\{\{\s*inputs\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def _passed_on(step: CallStep, field: str) -> str | None:
    """The calling flow's input that ``step`` passes as the called flow's ``field``
    unchanged (``"{{ inputs.end }}"``), or None if the caller made the value itself."""
    written = step.inputs.get(field)
    if not isinstance(written, str):
        return None
    match = _PASSED_ON.fullmatch(written.strip())
    return match.group(1) if match else None


def _refused_by_called_flow(step: CallStep, run: RunContext, exc: FlowInputError
                            ) -> CallRequireError:
    """The call ``step`` failing because its called flow refused what it was passed (a
    ``require`` step there), naming the caller, where the call is written, the called
    flow, the input and the requirement's message (already redacted by the step)."""
    where = f" at {step.position}" if step.position is not None else ""
    refusing = getattr(exc, "step", None)
    by = f"its step {refusing}" if refusing else "it"
    return CallRequireError(
        run.redact(f"call of flow '{exc.flow}'{where}: {by} refuses input '{exc.field}': "
                   f"{exc.reason}"),
        flow=run.flow.flow, step=step.title, called_flow=exc.flow, field=exc.field,
        reason=exc.reason,
        hint="the calling flow passes these values: check them there before the call (a "
             "require step in the flow a person runs refuses them as that person's mistake)")
