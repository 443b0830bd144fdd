"""What can go wrong when a ``call`` step starts its flow, said at the call step.

A flow calling itself (directly or through others) never ends on its own; the engine
stops it at :data:`MAX_CALL_DEPTH`. That is a definition problem, not a broken session:
:class:`CallTooDeep` tells recovery (re-login and retry) to stay out, since retrying
would nest the same calls again at every level. A called flow that does not exist is
reported at the call step that names it (file:line), not at the flows folder.

Inputs a ``call`` step passes that its called flow refuses (unknown, missing, not of the
declared type or choices) are the calling flow's bug, whether it computed the value,
forgot it, or passed on a value the person gave that the called flow types more strictly:
the call step fails (:class:`~portwright.exceptions.CallInputError`, ``portwright run``
exits 1), naming the caller, the step and where it is written, the called flow, the input
and the reason. Only the inputs of the flow a person runs are theirs to fix (a usage
error, exit 2, checked before a browser opens). A ``require`` step of the called flow
refusing a value follows who made it (the call handler, ``steps/call.py``): a value the
caller computed fails the call step (``CallRequireError``, exit 1); a value passed on as
the person gave it is their mistake, reported on the input of the flow they ran (exit 2).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from portwright.exceptions import CallInputError, FlowDefinitionError, FlowInputError, StepError
from portwright.flow.repository import FlowRepository, UnknownFlow
from portwright.runner.inputs import coerce_inputs

if TYPE_CHECKING:
    from portwright.flow.model import Flow
    from portwright.flow.steps.base import StepBase
    from portwright.flow.steps.call import CallStep
    from portwright.runner.context import RunContext

__all__ = ["MAX_CALL_DEPTH", "CallTooDeep", "called_flow", "check_call_inputs", "too_deep"]

MAX_CALL_DEPTH = 16


class CallTooDeep(StepError):
    """``call`` steps nested deeper than :data:`MAX_CALL_DEPTH` (a flow calling itself)."""

    flow_mistake = True


def _running_step(parent: RunContext) -> StepBase | None:
    """The step of ``parent`` that is running now (the ``call`` being made)."""
    running = next((e for e in reversed(parent.state.steps)
                    if e.get("status") == "running" and e.get("flow") == parent.flow.flow),
                   None)
    if running is None:
        return None
    return next((s for s in parent.flow.walk() if s.path == running.get("path")), None)


def too_deep(parent: RunContext, name: str) -> CallTooDeep:
    """The error for calling ``name`` from ``parent`` one level too deep, naming the
    running call step and where it is written."""
    step = _running_step(parent)
    where = f" at {step.position}" if step is not None and step.position else ""
    return CallTooDeep(
        f"calls flow '{name}'{where}, nested deeper than {MAX_CALL_DEPTH} calls",
        flow=parent.flow.flow, step=step.title if step is not None else None,
        hint="a flow calls itself, directly or through the flows it calls; "
             "`portwright validate` shows the cycle")


def called_flow(flows: FlowRepository, parent: RunContext, name: str) -> Flow:
    """The flow ``name`` a call step of ``parent`` runs; a flow that does not exist is
    reported at that step's file:line (field ``flow``)."""
    try:
        return flows.get(name)
    except UnknownFlow as exc:
        step = _running_step(parent)
        if step is None or step.position is None:
            raise
        raise FlowDefinitionError(
            f"calls unknown flow '{name}'", file=step.position.file,
            line=step.position.line, column=step.position.column, field=f"{step.path}.flow",
            expected=exc.expected, hint=exc.hint) from None


def _add_to_call(name: str, expected: str) -> str:
    """How a call step gives the called flow's required input ``name``."""
    return f"add {name} (expects {expected}) to the call step's inputs"


def check_call_inputs(run: RunContext, step: CallStep, inputs: Mapping[str, Any]) -> None:
    """Refuse, as a failure of the call ``step`` of ``run``, the rendered ``inputs`` that
    the called flow's declaration refuses; checked before it runs (a ``require`` step inside
    it refusing them is judged by the call handler, by who made the value)."""
    flow = called_flow(run.state.engine.flows, run, step.flow)
    try:
        coerce_inputs(flow, inputs, missing_hint=_add_to_call)
    except FlowInputError as exc:
        where = f" at {step.position}" if step.position is not None else ""
        raise CallInputError(
            run.redact(f"call of flow '{flow.flow}'{where}: input '{exc.field}': {exc.reason}"),
            flow=run.flow.flow, step=step.title, called_flow=flow.flow, field=exc.field,
            reason=run.redact(exc.reason),
            hint=run.redact(exc.hint) if exc.hint else None) from None
