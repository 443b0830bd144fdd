"""YAML a person writes by hand and how a flow file that holds it is refused (or read):
each refusal names the file, the line, what is wrong and what to write instead.

Duplicate keys name both lines; tabs, a second document and nesting too deep to read
say so in words; a number or boolean where text is meant (``0123``, ``1.10``, ``true``)
is not silently turned into other text; ``!!str`` and unquoted dates are the text
written; near misses (an action, a field, a filter) are answered with the closest name.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from portwright.exceptions import DefinitionError, FlowDefinitionError
from portwright.flow.loader import FlowProblems, load_flow, load_flow_text
from portwright.flow.model import Flow
from portwright.flow.steps.fill import FillStep

HEAD = """flow: toy.edge
inputs:
  who: {type: string, default: "x"}
steps:
"""
#: the first step's value sits on line 7, column 12
FILL = """  - action: fill
    target: login.user
    value: {value}
"""


def problems_of(text: str) -> list[DefinitionError]:
    with pytest.raises(DefinitionError) as info:
        load_flow_text(text, "edge.yaml")
    found = info.value
    listed = found.problems if isinstance(found, FlowProblems) else [found]
    return [p for p in listed if isinstance(p, DefinitionError)]


def only_problem(text: str) -> DefinitionError:
    found = problems_of(text)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def fill_value(value: str) -> str:
    return HEAD + FILL.format(value=value)


# --- duplicate keys: both lines named --------------------------------------------------

@pytest.mark.parametrize(("text", "key", "first", "again"), [
    ("flow: toy.edge\nflow: toy.other\nsteps:\n  - {action: click, target: a.b}\n",
     "flow", 1, 2),
    (HEAD + "  - action: fill\n    target: login.user\n    value: a\n    value: b\n",
     "value", 7, 8),
    (HEAD + "  - {action: click, target: a.b, target: a.c}\n", "target", 5, 5),
])
def test_a_duplicate_key_names_its_first_line_and_the_repeat(
        text: str, key: str, first: int, again: int) -> None:
    problem = only_problem(text)
    assert problem.line == again
    assert f"duplicate key '{key}'" in problem.message
    assert f"first at line {first}" in problem.message
    assert "keep only the last" in problem.message


def test_two_merge_keys_in_one_mapping_say_how_to_merge_both() -> None:
    text = (HEAD + "  - &a {action: click, target: a.b}\n  - &b {id: x}\n"
            "  - <<: *a\n    <<: *b\n")
    problem = only_problem(text)
    assert problem.line == 8
    assert "first at line 7" in problem.message
    assert problem.expected is not None and "<<: [*first, *second]" in problem.expected


# --- reader refusals in words -------------------------------------------------------

def test_a_tab_used_for_indentation_is_named_as_a_tab() -> None:
    problem = only_problem(HEAD + "  - action: fill\n\ttarget: login.user\n")
    assert (problem.line, problem.column) == (6, 1)
    assert "tab" in problem.message
    assert problem.expected is not None and "spaces" in problem.expected


def test_a_second_document_in_one_file_is_named_as_such() -> None:
    one = HEAD + FILL.format(value="a")
    problem = only_problem(one + "---\n" + one)
    assert problem.line == 8
    assert "second YAML document" in problem.message
    assert problem.expected is not None and "one document per file" in problem.expected


def test_nesting_too_deep_to_read_is_a_definition_error_at_its_line() -> None:
    """It was a RecursionError traceback."""
    problem = only_problem(fill_value("[" * 400 + "]" * 400))
    assert isinstance(problem, FlowDefinitionError)
    assert problem.line == 7
    assert "nested too deeply" in problem.message
    assert "403 levels" in problem.message  # the file, the steps, the step and 400 lists


def test_nesting_too_deep_in_blocks_names_the_deepest_line() -> None:
    text = HEAD + "  - action: set\n    values:\n" + "".join(
        "  " * (i + 3) + f"k{i}:\n" for i in range(300)) + "  " * 303 + "end: 1\n"
    problem = only_problem(text)
    assert problem.line == 7 + 300
    assert "nested too deeply" in problem.message


# --- numbers and booleans where text is meant ------------------------------------

@pytest.mark.parametrize(("written", "read"), [
    ("0123", "123"), ("1.10", "1.1"), ("1_000", "1000"), ("0x1F", "31"), ("1e3", "1000.0"),
])
def test_a_number_written_otherwise_than_read_is_refused_in_a_fill_value(
        written: str, read: str) -> None:
    problem = only_problem(fill_value(written))
    assert (problem.line, problem.column) == (7, 12)
    assert problem.field == "steps[0].value"
    assert f"{written} is read by YAML as the number {read}" in problem.message
    assert problem.expected is not None and f'"{written}"' in problem.expected


def test_a_boolean_is_refused_in_a_fill_value() -> None:
    problem = only_problem(fill_value("true"))
    assert (problem.line, problem.column) == (7, 12)
    assert "read by YAML as a boolean" in problem.message


@pytest.mark.parametrize("default", ["0123", "false", "1.50"])
def test_a_string_inputs_default_keeps_what_was_written_or_is_refused(default: str) -> None:
    problem = only_problem(HEAD.replace('"x"', default) + FILL.format(value="a"))
    assert problem.line == 3
    assert problem.field == "inputs.who.default"
    assert f'"{default}"' in (problem.expected or "")


@pytest.mark.parametrize("value", ["12", "1.5", '"0123"', "'1.10'", "!!str 0123"])
def test_numbers_written_as_read_and_quoted_text_are_accepted(value: str) -> None:
    flow = load_flow_text(fill_value(value), "edge.yaml")
    step = flow.steps[0]
    assert isinstance(step, FillStep)
    assert str(step.value) == value.replace("!!str ", "").strip("'\"")


def test_yaml_1_1_no_and_a_time_are_text_in_a_string_field() -> None:
    """YAML 1.2 (what is read) keeps NO (Norway) and 12:30 as text."""
    flow = load_flow_text(HEAD.replace('"x"', "NO") + FILL.format(value="12:30"), "e.yaml")
    assert flow.inputs["who"].default == "NO"
    step = flow.steps[0]
    assert isinstance(step, FillStep) and step.value == "12:30"


def test_a_file_asking_for_yaml_1_1_cannot_turn_no_into_false_silently() -> None:
    problem = only_problem("%YAML 1.1\n---\n" + HEAD.replace('"x"', "NO")
                           + FILL.format(value="a"))
    assert problem.line == 5
    assert "NO is read by YAML as a boolean" in problem.message


def test_an_unquoted_date_is_the_text_written() -> None:
    """It was refused showing Python's repr, datetime.date(2024, 1, 2)."""
    flow = load_flow_text(fill_value("2024-01-02"), "edge.yaml")
    step = flow.steps[0]
    assert isinstance(step, FillStep) and step.value == "2024-01-02"


def test_a_date_input_takes_an_unquoted_default() -> None:
    text = HEAD.replace('{type: string, default: "x"}', "{type: date, default: 2024-01-02}")
    flow = load_flow_text(text + FILL.format(value="a"), "edge.yaml")
    assert str(flow.inputs["who"].default) == "2024-01-02"


def test_a_custom_tag_is_refused_at_its_line() -> None:
    problem = only_problem(fill_value("!secret x"))
    assert (problem.line, problem.column) == (7, 12)
    assert "'!secret' is not a value a flow or map can hold" in problem.message
    assert "TaggedScalar" not in str(problem)


def test_true_as_a_key_is_the_name_written() -> None:
    text = ("flow: toy.edge\ninputs:\n  true: {type: string}\nsteps:\n"
            + FILL.format(value='"{{ inputs.true }}"'))
    flow = load_flow_text(text, "edge.yaml")
    assert list(flow.inputs) == ["true"]


# --- steps and lists in the wrong shape ------------------------------------------

def test_a_step_written_as_text_says_what_a_step_looks_like() -> None:
    problem = only_problem(HEAD + "  - click login.submit\n")
    assert (problem.line, problem.column) == (5, 5)
    assert "'- action: " in (problem.expected or "")
    assert "url" not in (problem.expected or "")  # not the fields of one action (goto)


def test_steps_written_as_a_mapping_say_a_list_is_expected() -> None:
    problem = only_problem("flow: toy.edge\nsteps:\n  action: click\n  target: a.b\n")
    assert problem.field == "steps"
    assert "'- '" in (problem.expected or "")


# --- near misses ----------------------------------------------------------------------

def test_an_unknown_action_suggests_the_closest() -> None:
    problem = only_problem(HEAD + "  - action: clik\n    target: login.submit\n")
    assert problem.hint == "did you mean 'click'?"
    assert "action one of:" in (problem.expected or "")


def test_an_unknown_field_suggests_the_closest() -> None:
    found = problems_of(HEAD + "  - action: fill\n    target: login.user\n    valeu: a\n")
    unknown = [p for p in found if p.field == "steps[0].valeu"]
    assert len(unknown) == 1 and unknown[0].line == 7
    assert unknown[0].hint == "did you mean 'value'?"


def test_an_unknown_filter_is_named_with_the_closest() -> None:
    problem = only_problem(fill_value('"{{ inputs.who | upperr }}"'))
    assert (problem.line, problem.column) == (7, 12)
    assert "unknown filter 'upperr' (field 'steps[0].value')" in problem.message
    assert problem.hint == "did you mean 'upper'?"
    assert "upper" in (problem.expected or "")


def test_a_template_error_inside_a_block_names_its_own_line() -> None:
    text = fill_value("|\n      first line\n      second {{ inputs.who + }}\n      third")
    problem = only_problem(text)
    assert (problem.line, problem.column) == (9, 7)
    assert "template syntax error" in problem.message


# --- encodings and line endings (read as written) -------------------------------------

def test_bom_and_crlf_are_read_and_positions_stay_right(tmp_path: Path) -> None:
    path = tmp_path / "edge.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + fill_value("[a]").replace("\n", "\r\n").encode())
    with pytest.raises(DefinitionError) as info:
        load_flow(path)
    plain = only_problem(fill_value("[a]"))
    assert (info.value.line, info.value.column) == (plain.line, plain.column) == (7, 5)
    path.write_bytes(b"\xef\xbb\xbf" + fill_value("a").replace("\n", "\r\n").encode())
    assert isinstance(load_flow(path), Flow)


def test_a_latin_1_file_is_refused_at_its_first_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "edge.yaml"
    path.write_bytes(fill_value("Caf\xe9").encode("latin-1"))
    with pytest.raises(DefinitionError) as info:
        load_flow(path)
    assert (info.value.line, info.value.column) == (7, 15)
    assert "UTF-8" in str(info.value)


# --- the commonest slips of hand-written YAML -----------------------------------------

def test_an_unquoted_template_says_to_quote_it() -> None:
    """YAML reads {{ inputs.who }} as a mapping; the error showed Python's repr of it."""
    problem = only_problem(fill_value("{{ inputs.who }}"))
    assert (problem.line, problem.column) == (7, 12)
    assert "an unquoted template" in problem.message
    assert "ordereddict" not in str(problem)
    assert problem.expected == 'the template in quotes: "{{ inputs.who }}"'


@pytest.mark.parametrize(("steps", "line", "written", "fixed"), [
    ("  - action:click\n    target: login.submit\n", 5, "action:click", "action: click"),
    ("  - action: click\n    target:login.submit\n", 6, "target:login.submit",
     "target: login.submit"),
])
def test_a_key_without_a_space_after_its_colon_is_named(
        steps: str, line: int, written: str, fixed: str) -> None:
    """The parser stops a line later with 'mapping values are not allowed here'."""
    problem = only_problem(HEAD + steps)
    assert (problem.line, problem.column) == (line, 5)
    assert f"no space after the ':' in '{written}'" in problem.message
    assert f"'{fixed}'" in (problem.expected or "")


def test_a_misindented_key_says_what_valid_yaml_needs() -> None:
    problem = only_problem(HEAD + "  - action: click\n     target: login.submit\n")
    assert problem.line == 6
    assert "same indentation" in (problem.expected or "")


def test_inputs_written_as_a_list_say_what_each_input_maps_to() -> None:
    """It listed the fields of the flow itself (steps, outputs, ...) as expected."""
    problem = only_problem("flow: toy.edge\ninputs:\n  - who\nsteps:\n"
                           "  - {action: click, target: a.b}\n")
    assert problem.field == "inputs"
    expected = problem.expected or ""
    assert "a mapping of names" in expected and "default" in expected
    assert "steps" not in expected
