"""A flow may use engine step kinds and its own adapter's, never another adapter's.

Step kinds join one global union, so a flow of ``toy`` could name a kind only the
``valant`` adapter registers: it would parse and run here, and fail as "unknown action"
wherever portwright-valant is not installed, a dependency nothing declares. Refused at
the step's ``action``, so the author sees it when the flow is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from portwright.exceptions import FlowDefinitionError
from portwright.flow.catalog import step_kind_adapters
from portwright.flow.model import FLOW_NAME, Flow
from portwright.flow.yaml_source import YamlDocument

__all__ = ["step_origin_problems"]


def step_origin_problems(flow: Flow, doc: YamlDocument) -> Iterator[FlowDefinitionError]:
    """One error per step whose kind comes from adapters other than the flow's portal.

    Nothing when the flow's name is unreadable (its portal is unknown; the name itself is
    already reported)."""
    if not re.match(FLOW_NAME, flow.flow):
        return
    origins = step_kind_adapters()
    for step in flow.walk():
        adapters = origins.get(step.action)
        if not adapters or flow.portal in adapters:
            continue
        names = " and ".join(sorted(adapters))
        owner = f"the {names} adapter" + ("s" if len(adapters) > 1 else "")
        line, col, _ = doc.position((*step.loc, "action"))
        yield FlowDefinitionError(
            f"step kind '{step.action}' comes from {owner}; a flow of '{flow.portal}' may "
            "only use engine step kinds and its own adapter's",
            file=doc.file, line=line, column=col, field=f"{step.path}.action",
            expected=f"an engine step kind or one of the {flow.portal} adapter's",
            hint=f"use an engine step kind, or give the {flow.portal} adapter its own "
                 "step kind (step_kinds = (StepKind(MyStep, handle_my_step),))")
