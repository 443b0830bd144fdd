"""Read a flow file: YAML with positions → pydantic models → semantic checks."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from portwright.exceptions import (
    DefinitionError,
    FlowDefinitionError,
    PortwrightError,
    UnsafeRetry,
)
from portwright.flow.catalog import step_union
from portwright.flow.checks import check_flow
from portwright.flow.definition_errors import to_definition_errors
from portwright.flow.model import Flow, InputSpec, OutputSpec
from portwright.flow.steps.base import SourcePosition, StepBase
from portwright.flow.yaml_source import YamlDocument, load_yaml, read_yaml_text
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


def _place(steps: Iterable[tuple[int, StepBase]], doc: YamlDocument,
           loc: tuple[str | int, ...], path: str) -> None:
    """Give each step (with its index in the list at ``loc``) its location, path and
    position, and the position of each logical name it writes; nested steps too."""
    for i, step in steps:
        step_loc = (*loc, i)
        step_path = f"{path}[{i}]"
        step._loc = step_loc
        step._path = step_path
        line, col, _ = doc.position(step_loc)
        step._position = SourcePosition(doc.file, line, col)
        nested = [tuple(name.split(".")) for name, _ in step.children()]
        names = set(step.selector_names())
        for rel, text in _scalars(doc.at(step_loc), (), nested):
            if text in names and text not in step._name_places:
                line, col, _ = doc.position((*step_loc, *rel))
                where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in rel)
                step._name_places[text] = (SourcePosition(doc.file, line, col),
                                           step_path + where)
        for name, children in step.children():
            keys: tuple[str | int, ...] = tuple(name.split("."))
            _place(enumerate(children), doc, (*step_loc, *keys), f"{step_path}.{name}")


def _scalars(node: Any, rel: tuple[str | int, ...], skip: list[tuple[str, ...]]
             ) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(relative location, text) of every string in a step's mapping, in file order, not
    descending into its nested step lists (``skip``)."""
    if rel in skip:
        return
    if isinstance(node, str):
        yield rel, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _scalars(value, (*rel, key), skip)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _scalars(value, (*rel, i), skip)


@cache
def _step_adapter() -> TypeAdapter[Any]:
    return TypeAdapter(step_union())


def _sound_part(doc: YamlDocument) -> tuple[Flow, bool]:
    """What of a flow the schema refused can still be checked, and whether its declared
    inputs are known: its header as far as it is readable, the outputs and top-level
    steps that are valid on their own (placed at their own indexes)."""
    data = doc.data
    name = data.get("flow") if isinstance(data.get("flow"), str) else "?"
    mutates = data.get("mutates") is True
    raw_inputs = data.get("inputs")
    inputs_known = raw_inputs is None or isinstance(raw_inputs, dict)
    inputs = {str(k): InputSpec.model_construct()
              for k in (raw_inputs if isinstance(raw_inputs, dict) else {})}
    outputs: dict[str, OutputSpec] = {}
    raw_outputs = data.get("outputs")
    for key, raw in (raw_outputs.items() if isinstance(raw_outputs, dict) else ()):
        try:
            outputs[str(key)] = OutputSpec.model_validate(raw)
        except ValidationError:
            continue
    steps: list[tuple[int, StepBase]] = []
    raw_steps = data.get("steps")
    for i, raw in enumerate(raw_steps if isinstance(raw_steps, list) else ()):
        try:
            steps.append((i, _step_adapter().validate_python(raw)))
        except ValidationError:
            continue
    flow = Flow.model_construct(flow=name, mutates=mutates, inputs=inputs, outputs=outputs,
                                steps=[s for _, s in steps], supports=None)
    flow._source = doc.file
    _place(steps, doc, ("steps",), "steps")
    return flow, inputs_known


def _in_order(problems: list[DefinitionError | UnsafeRetry]) -> list[DefinitionError | UnsafeRetry]:
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))


def parse_flow(
    doc: YamlDocument,
    *,
    templates: Templates | None = None,
    flow_mutates: Callable[[str], bool | None] | None = None,
) -> Flow:
    """Validate a loaded YAML document as a flow; raise every problem at once.

    When the schema refuses part of the flow, the checks beyond it (template syntax,
    declared inputs, unique ids, reserved names, unsafe retries) still run on what is
    valid on its own, so one pass reports both kinds of problem.
    """
    step_union()
    templates = templates or shared_templates()
    try:
        flow = Flow.model_validate(doc.data)
    except ValidationError as exc:
        problems: list[DefinitionError | UnsafeRetry] = list(
            to_definition_errors(exc, doc, Flow, FlowDefinitionError))
        partial, inputs_known = _sound_part(doc)
        problems += check_flow(partial, doc, templates, flow_mutates=flow_mutates,
                               check_inputs=inputs_known)
        raise FlowProblems(_in_order(problems)) from None
    flow._source = doc.file
    _place(enumerate(flow.steps), doc, ("steps",), "steps")
    problems = check_flow(flow, doc, templates, flow_mutates=flow_mutates)
    if len(problems) == 1 and isinstance(problems[0], UnsafeRetry):
        raise problems[0]
    if problems:
        raise FlowProblems(_in_order(problems))
    return flow


def load_flow_text(text: str, file: Path | str | None = None, **kwargs: object) -> Flow:
    """Parse flow YAML text (``file`` names it in errors)."""
    doc = load_yaml(text, file, FlowDefinitionError)
    return parse_flow(doc, **kwargs)  # type: ignore[arg-type]


def load_flow(path: Path | str, **kwargs: object) -> Flow:
    """Parse a flow file."""
    path = Path(path)
    return load_flow_text(read_yaml_text(path, FlowDefinitionError), path, **kwargs)
