"""Checks of ``call`` steps against the flows they call, for ``portwright validate``.

Loading one flow cannot see the flows it calls; the workspace's repository can. Each
problem here would otherwise surface only at run time, after the caller's earlier
(possibly mutating) steps ran: a called flow that does not exist, inputs it does not
declare, required inputs not given, and calls that come back to the calling flow (which
never end).
"""

from __future__ import annotations

import difflib

from portwright.exceptions import FlowDefinitionError, PortwrightError
from portwright.flow.model import Flow
from portwright.flow.repository import FlowRepository, UnknownFlow
from portwright.flow.steps.base import StepBase
from portwright.flow.steps.call import CallStep

__all__ = ["call_problems"]


def _at(step: StepBase, field: str, message: str, expected: str,
        hint: str | None = None) -> FlowDefinitionError:
    pos = step.position
    return FlowDefinitionError(message, file=pos.file if pos else None,
                               line=pos.line if pos else None,
                               column=pos.column if pos else None,
                               field=f"{step.path}.{field}" if field else step.path,
                               expected=expected, hint=hint)


def _calls(flow: Flow) -> list[CallStep]:
    return [s for s in flow.walk() if isinstance(s, CallStep)]


def _cycle(start: str, repo: FlowRepository, first: str) -> list[str] | None:
    """The chain of flow names from ``first`` back to ``start``, if calls lead there."""
    stack: list[tuple[str, list[str]]] = [(first, [start, first])]
    seen: set[str] = set()
    while stack:
        name, chain = stack.pop()
        if name == start:
            return chain
        if name in seen:
            continue
        seen.add(name)
        try:
            called = repo.get(name)
        except PortwrightError:
            continue  # reported for its own file or its call step
        for step in _calls(called):
            stack.append((step.flow, [*chain, step.flow]))
    return None


def call_problems(flow: Flow, repo: FlowRepository) -> list[FlowDefinitionError]:
    """Every problem of ``flow``'s call steps, each at its call step."""
    problems: list[FlowDefinitionError] = []
    for step in _calls(flow):
        try:
            called = repo.get(step.flow)
        except UnknownFlow as exc:
            problems.append(_at(step, "flow", f"calls unknown flow '{step.flow}'",
                                exc.expected or "a flow of the workspace", exc.hint))
            continue
        except PortwrightError:
            continue  # the called flow's own file is broken: reported there
        declared = sorted(called.inputs)
        for key in sorted(step.inputs):
            if key not in called.inputs:
                close = difflib.get_close_matches(key, declared, n=1)
                problems.append(_at(
                    step, f"inputs.{key}",
                    f"gives input '{key}', which flow '{called.flow}' does not declare",
                    ("one of its inputs: " + ", ".join(declared)) if declared
                    else f"no inputs (flow '{called.flow}' declares none)",
                    f"did you mean '{close[0]}'?" if close else None))
        missing = [k for k, spec in called.inputs.items()
                   if spec.is_required and k not in step.inputs]
        if missing:
            problems.append(_at(
                step, "inputs", f"does not give the required input(s) "
                f"{', '.join(repr(k) for k in missing)} of flow '{called.flow}'",
                "every input the called flow requires (no default, not 'required: false')"))
        chain = _cycle(flow.flow, repo, step.flow)
        if chain is not None:
            problems.append(_at(
                step, "flow", "calls make a cycle: " + " → ".join(chain),
                "calls that end: a run would nest them until it stops at the depth limit"))
    return problems
