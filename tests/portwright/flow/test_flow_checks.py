"""What loading a flow refuses beyond its schema, and how it says so: input defaults and
choices of the wrong type, templates reading undeclared inputs, unsafe retries named
once, every kind of problem in one pass; and input conversion that fails only with
``FlowInputError``."""

from __future__ import annotations

import pytest

from portwright.exceptions import FlowInputError, UnsafeRetry
from portwright.flow.loader import FlowProblems, load_flow_text
from portwright.flow.model import InputSpec
from portwright.flow.steps.extract import ExtractStep
from portwright.runner.inputs import coerce_inputs


def with_input(kind: str, default: str, extra: str = "") -> str:
    """A flow whose input ``x`` has its ``default`` alone on line 5 (a scalar value at
    column 14; a list or mapping is pointed at by its key, column 5)."""
    return f"""flow: t.defaults
inputs:
  x:
    type: {kind}
    default: {default}{extra}
steps:
  - {{action: goto, url: "https://example.test/{{{{ inputs.x }}}}"}}
"""


@pytest.mark.parametrize(("kind", "default", "expected"), [
    ("int", '"abc"', "a whole number"),
    ("int", "1.5", "a whole number"),
    ("int", "true", "a whole number"),
    ("float", "fast", "a number"),
    ("bool", "maybe", "true or false"),
    ("date", "04/09/1961", "an ISO date (2026-01-31)"),
    ("date", "2026-01-31T09:00:00", "an ISO date (2026-01-31)"),
    ("datetime", "yesterday", "an ISO date-time"),
    ("string", "[a, b]", "text"),
    ("list", "'[1, 2'", "a list"),
    ("object", "not json", "a JSON object"),
])
def test_a_default_of_another_type_is_an_error_at_the_default(
        kind: str, default: str, expected: str) -> None:
    with pytest.raises(FlowProblems) as info:
        load_flow_text(with_input(kind, default), "d.yaml")
    [problem] = info.value.problems
    text = str(problem)
    column = 5 if default.startswith("[") else 14
    assert text.startswith(f"d.yaml:5:{column}: default "), text
    assert f"is not a valid {kind} (field 'inputs.x.default'); expected {expected}" in text


@pytest.mark.parametrize(("kind", "default", "converted"), [
    ("int", '"7"', 7), ("int", "7", 7), ("float", '"1.5"', 1.5), ("bool", "yes", True),
    ("date", "2026-01-31", "2026-01-31"), ("datetime", '"2026-01-31T09:00:00Z"',
                                           "2026-01-31T09:00:00+00:00"),
    ("string", "abc", "abc"), ("list", "a, b", ["a", "b"]), ("object", "'{\"a\": 1}'", {"a": 1}),
])
def test_a_default_of_the_type_loads_and_applies(kind: str, default: str,
                                                 converted: object) -> None:
    flow = load_flow_text(with_input(kind, default), "d.yaml")
    value = coerce_inputs(flow, {})["x"]
    assert (value.isoformat() if hasattr(value, "isoformat") else value) == converted


def test_a_default_outside_the_choices_is_an_error_at_the_default() -> None:
    with pytest.raises(FlowProblems) as info:
        load_flow_text(with_input("string", "all", "\n    choices: [open, done]"), "d.yaml")
    assert str(info.value).startswith(
        "d.yaml:5:14: default 'all' is not one of choices ['open', 'done'] "
        "(field 'inputs.x.default'); expected one of the choices, or no default")


def test_choices_are_compared_after_conversion() -> None:
    flow = load_flow_text(with_input("int", '"50"', '\n    choices: ["25", "50"]'), "d.yaml")
    assert coerce_inputs(flow, {}) == {"x": 50}
    assert coerce_inputs(flow, {"x": "25"}) == {"x": 25}
    with pytest.raises(FlowInputError, match="not one of the choices"):
        coerce_inputs(flow, {"x": "30"})


def test_a_choice_of_another_type_is_an_error() -> None:
    with pytest.raises(FlowProblems, match=r"d\.yaml:6:5: choice 2 \('fifty'\) is not a "
                       r"valid int \(field 'inputs.x.choices'\); expected a whole number"):
        load_flow_text(with_input("int", "25", "\n    choices: [25, fifty]"), "d.yaml")


def test_a_secret_default_is_never_shown() -> None:
    with pytest.raises(FlowProblems) as info:
        load_flow_text(with_input("int", "hunter2", "\n    secret: true"), "d.yaml")
    assert "hunter2" not in str(info.value)
    assert "default (secret) is not a valid int" in str(info.value)


def test_converting_inputs_raises_flow_input_errors_only() -> None:
    flow = load_flow_text(with_input("int", "1"), "d.yaml")
    flow.inputs["x"] = InputSpec.model_construct(type="int", default="abc")  # built in code
    with pytest.raises(FlowInputError, match=r"t\.defaults: input 'x': the flow's default "
                                             r"is not a whole number"):
        coerce_inputs(flow, {})
    with pytest.raises(FlowInputError, match="input 'x': the value shaped"):
        coerce_inputs(flow, {"x": float("inf")})  # OverflowError before
    with pytest.raises(FlowInputError, match="input 'x'"):
        coerce_inputs(flow, {"x": 1.5})  # silently 1 before
    flow.inputs["x"] = InputSpec.model_construct(type="int", choices=["one"], default=None)
    with pytest.raises(FlowInputError, match="input 'x': the flow's choices"):
        coerce_inputs(flow, {"x": "1"})


UNDECLARED = """flow: t.undeclared
inputs:
  mrn: {type: string}
  since: {type: date, required: false}
steps:
  - action: goto
    url: "https://example.test/p?q={{ inputs.mrm }}"
  - action: if
    condition: "inputs['sinse'] is not none"
    then: [{action: goto, url: "https://example.test/{{ inputs.mrn }}"}]
outputs:
  n: {value: "inputs.count"}
"""


def test_a_template_reading_an_undeclared_input_is_an_error_at_its_field() -> None:
    with pytest.raises(FlowProblems) as info:
        load_flow_text(UNDECLARED, "u.yaml")
    texts = [str(p) for p in info.value.problems]
    assert texts == [
        "u.yaml:7:10: input 'mrm' is not declared by the flow (field 'steps[0].url'); "
        "expected one of the declared inputs: mrn, since\n  hint: did you mean 'mrn'?",
        "u.yaml:9:16: input 'sinse' is not declared by the flow (field 'steps[1].condition'); "
        "expected one of the declared inputs: mrn, since\n  hint: did you mean 'since'?",
        "u.yaml:12:14: input 'count' is not declared by the flow (field 'outputs.n.value'); "
        "expected one of the declared inputs: mrn, since\n"
        "  hint: declare it under 'inputs:' (count: {type: string})",
    ]


def test_reads_that_tolerate_a_missing_input_are_not_errors() -> None:
    load_flow_text("""flow: t.dynamic
inputs:
  mrn: {type: string}
steps:
  - {action: set, values: {a: "{{ inputs.get('x', '') }}", b: "{{ inputs[key] }}",
     c: "{{ inputs.y | default('') }}", d: "{{ inputs.z if inputs.z is defined }}",
     e: "{{ inputs.items() | list }}", f: "{{ inputs['mrn'] }}"}}
""", "t.yaml")


RETRIED = """flow: toy.r
mutates: true
steps:
  - {action: goto, url: "https://example.test/"}
  - action: click
    target: save
    retries: 2
  - {action: click, target: ok, retries: 1}
"""


def test_an_unsafe_retry_names_its_step_once_at_its_place() -> None:
    with pytest.raises(FlowProblems) as info:
        load_flow_text(RETRIED, "r.yaml")
    first, second = info.value.problems  # both reported, not only the first
    assert isinstance(first, UnsafeRetry) and isinstance(second, UnsafeRetry)
    assert str(first).startswith(
        "r.yaml:7:14: step steps[1] (click) mutates the portal and may not be retried "
        "blindly (field 'steps[1].retries')\n  hint: remove 'retries'"), str(first)
    assert str(first).count("steps[1] (click)") == 1
    assert (first.flow, first.step, first.line, first.field) == (
        "toy.r", "steps[1] (click)", 7, "steps[1].retries")
    assert str(second).startswith("r.yaml:8:42: step steps[2] (click) mutates")


def test_schema_errors_and_the_checks_beyond_them_come_in_one_pass() -> None:
    text = """flow: toy.all
mutates: true
steps:
  - {action: goto, url: "https://example.test/{{ inputs.nope }}", id: open}
  - {action: clik, target: x}
  - {action: goto, url: "https://example.test/", id: open}
  - {action: click, target: save, retries: 2}
  - {action: fill, target: y, value: 3, bogus: 1}
"""
    with pytest.raises(FlowProblems) as info:
        load_flow_text(text, "a.yaml")
    found = [(p.line, p.message.split(": ", 1)[1].split(" (field")[0])
             for p in info.value.problems]
    assert found == [
        (4, "input 'nope' is not declared by the flow"),
        (5, "unknown action 'clik'"),
        (6, "duplicate step id 'open'"),
        (7, "step steps[3] (click) mutates the portal and may not be retried blindly"),
        (8, "unknown field 'bogus'"),
    ]


def test_an_extract_field_knows_the_line_of_its_logical_name() -> None:
    flow = load_flow_text("""flow: toy.x
steps:
  - action: extract
    into: rows
    rows: list.row
    fields:
      id: {attr: data-id}
      mrn: list.row.mrn
      born:
        target: list.row.dob
        transform: date
""", "x.yaml")
    step = flow.steps[0]
    assert isinstance(step, ExtractStep)
    places = {name: (str(step.place_of(name)[0]), step.place_of(name)[1])
              for name in step.selector_names()}
    assert places == {
        "list.row": ("x.yaml:5:11", "steps[0].rows"),
        "list.row.mrn": ("x.yaml:8:12", "steps[0].fields.mrn"),
        "list.row.dob": ("x.yaml:10:17", "steps[0].fields.born.target"),
    }


def test_an_expression_written_in_braces_loads_as_it_runs() -> None:
    """The runner evaluates ``"{{ expr }}"`` as ``expr``; loading must accept it too."""
    flow = load_flow_text("""flow: toy.wrapped
inputs:
  mrn: {type: string, default: ""}
outputs:
  count: {value: "{{ rows | length }}"}
steps:
  - {action: set, values: {rows: "{{ [1, 2] }}"}}
  - action: if
    condition: "{{ inputs.mrn != '' }}"
    then:
      - {action: goto, url: /x}
""", "wrapped.yaml")
    assert flow.outputs["count"].value == "{{ rows | length }}"


def test_a_wrapped_expression_still_has_its_syntax_checked() -> None:
    with pytest.raises(FlowProblems, match=r"wrapped\.yaml:5:16: template syntax error"):
        load_flow_text("""flow: toy.wrapped
steps:
  - action: if
    then: [{action: goto, url: /x}]
    condition: "{{ inputs.mrn != }}"
""", "wrapped.yaml")
