"""A map must say what to look for: no logical name that YAML read as null, a boolean or
a number (each turned into text like 'None' that looks like a name), no empty name, and
no strategy or detect rule with an empty value. Each is a load error with file, line,
column, field, what is wrong and what was expected; ``portwright validate`` reports it."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from portwright.cli.app import app
from portwright.selector_map.loader import SelectorMapProblems, load_portal_maps

HEAD = 'portal: toy\nversion: "1.0"\n'


def problems_of(tmp_path: Path, text: str) -> list[str]:
    folder = tmp_path / "selectors" / "toy"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "1.0.yaml").write_text(HEAD + text)
    with pytest.raises(SelectorMapProblems) as info:
        load_portal_maps(folder)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(("entry", "column", "field", "what", "expected"), [
    ('[{css: ""}]', 15, "css", "empty 'css'", "a CSS selector"),
    ('[{css: "  "}]', 15, "css", "blank 'css' ('  ')", "a CSS selector"),
    ('[{test_id: ""}]', 19, "test_id", "empty 'test_id'", "a data-testid value"),
    ('[{role: ""}]', 16, "role", "empty 'role'", "an ARIA role"),
    ('[{role: button, name: ""}]', 30, "name", "empty 'name'", "or no 'name' to match"),
    ('[{label: ""}]', 17, "label", "empty 'label'", "the label's text"),
    ('[{placeholder: ""}]', 23, "placeholder", "empty 'placeholder'", "the placeholder's"),
    ('[{text: ""}]', 16, "text", "empty 'text'", "the element's text"),
    ('[{xpath: ""}]', 17, "xpath", "empty 'xpath'", "an XPath expression"),
], ids=["css", "css-blank", "test_id", "role", "role-name", "label", "placeholder", "text",
        "xpath"])
def test_a_strategy_with_an_empty_value_is_an_error(
        tmp_path: Path, entry: str, column: int, field: str, what: str, expected: str) -> None:
    problems = problems_of(tmp_path, f"selectors:\n  x.y: {entry}\n")
    where = tmp_path / "selectors" / "toy" / "1.0.yaml"
    assert problems == [f"{where}:4:{column}: {what}: it names nothing to look for (field "
                        f"'selectors.x.y[0].{field}'); expected " + problems[0].split(
                            "expected ", 1)[1]]
    assert expected in problems[0]


def test_a_detect_rule_with_an_empty_value_is_an_error(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, 'detect:\n  - {meta: ""}\n  - {element: ""}\n')
    assert ":4:12: empty 'meta'" in problems[0] and "the name of a <meta> tag" in problems[0]
    assert ":5:15: empty 'element'" in problems[1] and "a CSS selector" in problems[1]


@pytest.mark.parametrize(("key", "what"), [
    ("", "a name is missing: the key before ':' is empty (YAML reads it as null)"),
    ("~", "a name is missing: the key before ':' is empty (YAML reads it as null)"),
    ("null", "a name is missing: the key before ':' is empty (YAML reads it as null)"),
    ('""', "empty name ''"),
    ("' '", "blank name ' '"),
    ("true", "name True was read as a boolean, not as text"),
    ("1.10", "name 1.1 was read as a number, not as text"),
], ids=["nothing", "tilde", "null", "empty", "blank", "boolean", "number"])
def test_a_key_that_is_no_name_is_an_error(tmp_path: Path, key: str, what: str) -> None:
    problems = problems_of(tmp_path, f"selectors:\n  ok: [{{css: a}}]\n  {key}: [{{css: b}}]\n")
    where = tmp_path / "selectors" / "toy" / "1.0.yaml"
    assert problems == [f"{where}:5:3: {what} (field 'selectors'); expected a logical name, "
                        "e.g. nav.signed_in" + ("; quote it to keep it as written"
                                                if "read as a" in what else "")]


def test_a_page_key_that_is_no_name_is_an_error(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, "pages:\n  : {path: /}\n")
    assert ":4:3: a name is missing" in problems[0] and "(field 'pages')" in problems[0]
    assert "a page key" in problems[0]


def test_every_problem_of_a_file_is_reported_in_document_order(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, 'selectors:\n  true: [{css: a}]\n  : [{css: a}]\n'
                           '  b: [{css: ""}]\n  c: [{clik: x}]\n')
    assert [p.split(": ", 1)[0].rsplit(":", 2)[1] for p in problems] == ["4", "5", "6", "7"]
    assert problems[0].endswith("; quote it to keep it as written")
    assert problems[1].endswith("expected a logical name, e.g. nav.signed_in")


def test_validate_reports_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "portwright.toml").write_text("")
    (tmp_path / "flows").mkdir()
    folder = tmp_path / "selectors" / "toy"
    folder.mkdir(parents=True)
    (folder / "1.0.yaml").write_text(
        HEAD + 'selectors:\n  : [{test_id: user-name}]\n  "": [{css: x}]\n  x.y: [{css: ""}]\n')
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["validate"])
    assert result.exit_code == 1, result.output
    where = folder / "1.0.yaml"
    assert f"{where}:4:3: a name is missing" in result.output
    assert f"{where}:5:3: empty name ''" in result.output
    assert f"{where}:6:15: empty 'css'" in result.output
