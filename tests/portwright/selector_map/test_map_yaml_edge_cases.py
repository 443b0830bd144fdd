"""YAML a person writes by hand in a selector map, and how the map is refused: a name
written twice names both lines, a number where a strategy's text belongs shows what was
written and says to quote it, and a map nested too deep to read is an error at a line,
not a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from portwright.exceptions import SelectorMapError
from portwright.selector_map.loader import load_portal_maps

HEAD = """portal: toy
version: "1.0"
selectors:
  login.user: [{css: "#user"}]
"""


def refusal(tmp_path: Path, text: str) -> SelectorMapError:
    folder = tmp_path / "toy"
    folder.mkdir()
    (folder / "1.0.yaml").write_text(text)
    with pytest.raises(SelectorMapError) as info:
        load_portal_maps(folder)
    problems = getattr(info.value, "problems", None) or [info.value]
    assert len(problems) == 1, [str(p) for p in problems]
    found: SelectorMapError = problems[0]
    assert str(folder / "1.0.yaml") in str(found)
    return found


def test_a_logical_name_written_twice_names_both_lines(tmp_path: Path) -> None:
    """YAML would keep the second silently; the error said only where the second was."""
    problem = refusal(tmp_path, HEAD + "  login.submit: [{css: '#go'}]\n"
                                       "  login.user: [{css: '#u2'}]\n")
    assert (problem.line, problem.column) == (6, 3)
    assert "duplicate key 'login.user'" in problem.message
    assert "first at line 4" in problem.message


@pytest.mark.parametrize(("strategy", "written", "column"), [
    ("{text: 0123}", "0123", 23), ("{role: button, name: 1.10}", "1.10", 37),
])
def test_a_number_where_text_belongs_shows_what_was_written(
        tmp_path: Path, strategy: str, written: str, column: int) -> None:
    """It said 'invalid value 123' for 0123, a value nobody wrote."""
    problem = refusal(tmp_path, HEAD + f"  login.code: [{strategy}]\n")
    assert (problem.line, problem.column) == (5, column)
    assert f"invalid value {written}:" in problem.message
    assert problem.expected == f'text; quote it: "{written}"'


def test_a_map_nested_too_deep_to_read_is_refused_at_a_line(tmp_path: Path) -> None:
    problem = refusal(tmp_path, HEAD + "  login.x: " + "[" * 400 + "]" * 400 + "\n")
    assert problem.line == 5
    assert "nested too deeply" in problem.message


def test_a_tab_in_a_map_is_named_as_a_tab(tmp_path: Path) -> None:
    problem = refusal(tmp_path, HEAD + "\tlogin.x: [{css: '#x'}]\n")
    assert (problem.line, problem.column) == (5, 1)
    assert "tab" in problem.message
    assert problem.expected is not None and "spaces" in problem.expected
