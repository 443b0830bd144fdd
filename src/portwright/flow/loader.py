"""Read a flow file: YAML with positions → pydantic models → semantic checks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from portwright.exceptions import (
    DefinitionError,
    FlowDefinitionError,
    PortwrightError,
    UnsafeRetry,
)
from portwright.flow.catalog import step_union
from portwright.flow.checks import check_flow
from portwright.flow.definition_errors import to_definition_errors
from portwright.flow.model import Flow
from portwright.flow.steps.base import SourcePosition, StepBase
from portwright.flow.yaml_source import YamlDocument, load_yaml
from portwright.templating import Templates, shared_templates

__all__ = ["FlowProblems", "load_flow", "load_flow_text", "parse_flow"]


class FlowProblems(FlowDefinitionError):
    """All problems of one flow file: reads as the first one, ``problems`` lists them all."""

    def __init__(self, problems: list[DefinitionError | UnsafeRetry]) -> None:
        self.problems = problems
        first = problems[0]
        more = f"{len(problems) - 1} more problem(s) in this file" if len(problems) > 1 else None
        PortwrightError.__init__(self, first.message, hint=more or first.hint)
        self.file = getattr(first, "file", None)
        self.line = getattr(first, "line", None)
        self.column = getattr(first, "column", None)
        self.field = getattr(first, "field", None)
        self.expected = getattr(first, "expected", None)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def _place(steps: list[StepBase], doc: YamlDocument, loc: tuple[str | int, ...],
           path: str) -> None:
    for i, step in enumerate(steps):
        step_loc = (*loc, i)
        step_path = f"{path}[{i}]"
        step._loc = step_loc
        step._path = step_path
        line, col, _ = doc.position(step_loc)
        step._position = SourcePosition(doc.file, line, col)
        for name, children in step.children():
            keys: tuple[str | int, ...] = tuple(name.split("."))
            _place(list(children), doc, (*step_loc, *keys), f"{step_path}.{name}")


def parse_flow(
    doc: YamlDocument,
    *,
    templates: Templates | None = None,
    flow_mutates: Callable[[str], bool | None] | None = None,
) -> Flow:
    """Validate a loaded YAML document as a flow; raise every problem at once."""
    step_union()
    try:
        flow = Flow.model_validate(doc.data)
    except ValidationError as exc:
        raise FlowProblems(
            list(to_definition_errors(exc, doc, Flow, FlowDefinitionError))
        ) from None
    flow._source = doc.file
    _place(flow.steps, doc, ("steps",), "steps")
    problems = check_flow(flow, doc, templates or shared_templates(), flow_mutates=flow_mutates)
    unsafe = [p for p in problems if isinstance(p, UnsafeRetry)]
    if unsafe and len(unsafe) == len(problems):
        raise unsafe[0]
    if problems:
        raise FlowProblems(problems)
    return flow


def load_flow_text(text: str, file: Path | str | None = None, **kwargs: object) -> Flow:
    """Parse flow YAML text (``file`` names it in errors)."""
    doc = load_yaml(text, file, FlowDefinitionError)
    return parse_flow(doc, **kwargs)  # type: ignore[arg-type]


def load_flow(path: Path | str, **kwargs: object) -> Flow:
    """Parse a flow file."""
    path = Path(path)
    return load_flow_text(path.read_text(encoding="utf-8"), path, **kwargs)
