"""Checks a flow must pass beyond its schema, each pointing at file:line:column.

* every template and expression compiles (syntax errors are definition errors);
* every input a template reads by name (``inputs.mrn``, ``inputs['mrn']``) is declared
  (reads that tolerate a missing input, ``is defined`` or ``| default``, are not checked);
* step ids are unique;
* ``into``/``as`` names and the variables ``set`` binds do not shadow the reserved
  template names;
* no mutating step is retried without an idempotency check (``UnsafeRetry``);
* transform names are known and regular expressions compile (:mod:`.pattern_checks`);
* every step kind is the engine's or the flow's own adapter's (:mod:`.step_origin_checks`).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from typing import Any

from jinja2 import TemplateSyntaxError
from pydantic import BaseModel

from portwright.exceptions import DefinitionError, FlowDefinitionError, UnsafeRetry
from portwright.flow.model import Flow
from portwright.flow.number_checks import written_number_problems
from portwright.flow.pattern_checks import pattern_problems
from portwright.flow.step_origin_checks import step_origin_problems
from portwright.flow.steps.base import StepBase
from portwright.flow.steps.call import CallStep
from portwright.flow.steps.retry import RetryStep
from portwright.flow.steps.set import SetStep
from portwright.flow.template_problems import syntax_place, syntax_problem
from portwright.flow.yaml_source import YamlDocument
from portwright.templating import Templates

__all__ = ["RESERVED_NAMES", "check_flow"]

#: names the runner binds in every template scope
RESERVED_NAMES = frozenset({"inputs", "vars", "portal", "secrets", "flow", "loop", "page"})
#: fields holding bare expressions rather than templates
EXPRESSION_FIELDS = frozenset({"condition", "items", "landed", "stop_when", "from"})
#: fields holding names or selector names, never templated
PLAIN_FIELDS = frozenset({"action", "id", "description", "target", "rows", "into", "as",
                          "next", "numbered", "load_more", "visible", "entity", "to",
                          "flow", "mode", "map_offers"})


def _strings(value: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, (*loc, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            if not isinstance(v, StepBase):
                yield from _strings(v, (*loc, i))


def _model_strings(model: BaseModel, loc: tuple[str | int, ...]
                   ) -> Iterator[tuple[tuple[str | int, ...], str, bool]]:
    """(location, text, is_expression) of every templated string of a model, not
    descending into nested steps."""
    for name, info in type(model).model_fields.items():
        key = info.alias or name
        value = getattr(model, name)
        if key in PLAIN_FIELDS or value is None:
            continue
        if isinstance(value, BaseModel) and not isinstance(value, StepBase):
            yield from _model_strings(value, (*loc, key))
            continue
        if isinstance(value, list) and value and isinstance(value[0], StepBase):
            continue
        if isinstance(value, dict):
            for k, v in value.items():
                if isinstance(v, BaseModel):
                    yield from _model_strings(v, (*loc, key, k))
                else:
                    for sub, text in _strings(v, (*loc, key, k)):
                        yield sub, text, False
            continue
        for sub, text in _strings(value, (*loc, key)):
            yield sub, text, key in EXPRESSION_FIELDS


def check_flow(
    flow: Flow,
    doc: YamlDocument,
    templates: Templates,
    *,
    flow_mutates: Callable[[str], bool | None] | None = None,
    check_inputs: bool = True,
) -> list[DefinitionError | UnsafeRetry]:
    """Every problem found (empty when the flow is sound).

    ``check_inputs=False`` skips the declared-inputs check (for a flow whose ``inputs``
    could not be read, so which inputs it declares is unknown).
    """
    problems: list[DefinitionError | UnsafeRetry] = []

    def at(loc: tuple[str | int, ...], message: str, field: str, expected: str,
           hint: str | None = None, place: tuple[int, int] | None = None) -> None:
        line, col = place or doc.position(loc)[:2]
        problems.append(FlowDefinitionError(message, file=doc.file, line=line, column=col,
                                            field=field, expected=expected, hint=hint))

    declared = sorted(flow.inputs)

    def inputs_read(sub: tuple[str | int, ...], text: str, is_expr: bool, field: str) -> None:
        if not check_inputs:
            return
        for name in sorted(templates.keys_read(text, "inputs", expression=is_expr)):
            if name in flow.inputs:
                continue
            close = difflib.get_close_matches(name, declared, n=1)
            at(sub, f"input '{name}' is not declared by the flow", field,
               "one of the declared inputs: " + ", ".join(declared) if declared
               else "an input declared under 'inputs:' (the flow declares none)",
               hint=f"did you mean '{close[0]}'?" if close
               else f"declare it under 'inputs:' ({name}: {{type: string}})")

    def compile_all(model: BaseModel, loc: tuple[str | int, ...], label: str) -> None:
        for sub, text, is_expr in _model_strings(model, loc):
            rel = ".".join(str(p) for p in sub[len(loc):])
            inputs_read(sub, text, is_expr, f"{label}.{rel}")
            if isinstance(model, StepBase) and not is_expr and templates.is_template(text):
                try:
                    if templates.uses_secrets(text):
                        model._uses_secrets = True
                except TemplateSyntaxError:
                    pass
            try:
                templates.check(text, expression=is_expr)
            except TemplateSyntaxError as exc:
                message, expected, hint = syntax_problem(
                    exc, templates.env.filters, templates.env.tests, expression=is_expr)
                at(sub, message, f"{label}.{rel}", expected, hint,
                   place=syntax_place(doc, sub, exc))

    for name, out in flow.outputs.items():
        compile_all(out, ("outputs", name), f"outputs.{name}")
        if out.value is not None:
            try:
                templates.check(out.value, expression=True)
            except TemplateSyntaxError as exc:
                message, expected, hint = syntax_problem(
                    exc, templates.env.filters, templates.env.tests, expression=True)
                at(("outputs", name, "value"), message, f"outputs.{name}.value", expected,
                   hint, place=syntax_place(doc, ("outputs", name, "value"), exc))
            inputs_read(("outputs", name, "value"), out.value, True, f"outputs.{name}.value")

    # the transforms live with the runner; imported here, not at module level, since the
    # runner package imports the flow loader
    from portwright.runner.transforms import TRANSFORMS, known_transform

    for loc, message, field, expected, hint in pattern_problems(
            flow, templates, known_transform, sorted(TRANSFORMS)):
        at(loc, message, field, expected, hint)

    seen_ids: dict[str, str] = {}
    for step in flow.walk():
        compile_all(step, step.loc, step.path)
        if step.id:
            if step.id in seen_ids:
                at((*step.loc, "id"), f"duplicate step id '{step.id}'", f"{step.path}.id",
                   f"a unique id (already used by {seen_ids[step.id]})")
            else:
                seen_ids[step.id] = step.path
        for key in ("into", "as", "to"):
            attr = {"as": "as_"}.get(key, key)
            value = getattr(step, attr, None)
            if isinstance(value, str) and value in RESERVED_NAMES:
                at((*step.loc, key), f"'{value}' is a reserved name", f"{step.path}.{key}",
                   "a name other than " + ", ".join(sorted(RESERVED_NAMES)))
        if isinstance(step, SetStep):  # a variable named 'inputs' would hide the inputs
            for name in step.values:
                if name in RESERVED_NAMES:
                    line, col = doc.key_position((*step.loc, "values", name))
                    problems.append(FlowDefinitionError(
                        f"'{name}' is a reserved name", file=doc.file, line=line,
                        column=col, field=f"{step.path}.values.{name}",
                        expected="a name other than " + ", ".join(sorted(RESERVED_NAMES))))

        def mutating(s: StepBase) -> bool:
            if s.is_mutating(flow.mutates):
                return True
            if isinstance(s, CallStep) and flow_mutates is not None:
                return bool(flow_mutates(s.flow))
            return False

        if step.retries and mutating(step):
            line, col, _ = doc.position((*step.loc, "retries"))
            problems.append(UnsafeRetry(
                f"step {step.title} mutates the portal and may not be retried blindly",
                flow=flow.flow, step=step.title, file=doc.file, line=line, column=col,
                field=f"{step.path}.retries",
                hint="remove 'retries', or wrap the step in a retry block with an "
                     "'idempotency' check that finds the first attempt's result",
            ))
        if isinstance(step, RetryStep) and step.idempotency is None:
            inner = [s for _, steps in step.children() for s in steps]
            stack = list(inner)
            while stack:
                s = stack.pop()
                if mutating(s):
                    line, col, _ = doc.position(step.loc)
                    problems.append(UnsafeRetry(
                        f"retry around mutating step {s.title} without an idempotency check",
                        flow=flow.flow, step=step.title, file=doc.file, line=line,
                        column=col, field=step.path,
                        hint="add 'idempotency: {steps: [...], landed: <expression>}' so a "
                             "retry first checks whether the earlier attempt landed",
                    ))
                    break
                stack.extend(x for _, steps in s.children() for x in steps)
    problems.extend(step_origin_problems(flow, doc))
    problems.extend(written_number_problems(doc))
    return problems
