"""``portwright validate`` never reports success for something it did not check: a path
that does not exist, a file that is neither a flow nor a selector map, a configured
folder that does not exist, nothing found at all; ``flows list`` refuses a missing flows
folder too. And a logical name a map lacks is reported where it is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from portwright.cli.app import app

runner = CliRunner()

MAP = """portal: toy
version: "4.0"
detect:
  - {meta: app-version, matches: "^4\\\\."}
pages:
  home: {path: /, public: true}
selectors:
  home.row: {strategies: [{css: "tbody tr"}], all: true}
  home.row.name: {strategies: [{css: "td.n"}], scope: home.row}
"""

FLOW = """flow: toy.names
steps:
  - {action: goto, url: "https://example.test/"}
  - action: extract
    into: rows
    rows: home.row
    fields:
      name: home.row.name
      born:
        target: home.row.born
        transform: date
"""


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace with one flow and one map, as the current directory."""
    (tmp_path / "pyproject.toml").write_text('[tool.portwright]\nflows = "flows"\n')
    (tmp_path / "selectors" / "toy").mkdir(parents=True)
    (tmp_path / "selectors" / "toy" / "4.0.yaml").write_text(MAP)
    (tmp_path / "flows" / "toy").mkdir(parents=True)
    (tmp_path / "flows" / "toy" / "names.yaml").write_text(FLOW.replace("home.row.born",
                                                                          "home.row.name"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_workspace_validates(ws: Path) -> None:
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.output == "ok: 2 file(s) valid\n"


def test_a_path_that_does_not_exist_is_a_usage_error_naming_it(ws: Path) -> None:
    result = runner.invoke(app, ["validate", "nonexistent.yaml"])
    assert result.exit_code == 2  # as for claims validate, era parse: a bad argument
    assert "'nonexistent.yaml' does not exist" in result.output
    assert "ok:" not in result.output


@pytest.mark.parametrize("where", ["x.yaml", "elsewhere/x.yaml"])
def test_a_file_neither_flow_nor_map_is_an_error_saying_what_was_expected(
        ws: Path, where: str) -> None:
    target = ws / where
    target.parent.mkdir(exist_ok=True)
    # not a flow (no 'flow:' and outside the flows folder), not a map
    target.write_text(FLOW.replace("flow: toy.names\n", ""))
    result = runner.invoke(app, ["validate", where])
    assert result.exit_code == 1
    assert f"{target}: neither a flow nor a selector map; expected a flow (a YAML file " \
        "with a top-level 'flow:' key" in result.output
    assert "ok:" not in result.output


def test_a_flow_file_without_flow_inside_the_flows_folder_is_checked_as_a_flow(
        ws: Path) -> None:
    bad = ws / "flows" / "toy" / "nameless.yaml"
    bad.write_text(FLOW.replace("flow: toy.names\n", ""))
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:1:1: missing required field 'flow'" in result.output


def test_a_map_outside_the_selectors_folder_is_recognized(ws: Path) -> None:
    (ws / "elsewhere" / "toy").mkdir(parents=True)
    (ws / "elsewhere" / "toy" / "4.0.yaml").write_text(MAP)
    result = runner.invoke(app, ["validate", "elsewhere/toy/4.0.yaml"])
    assert result.exit_code == 0, result.output
    assert result.output == "ok: 1 file(s) valid\n"


def test_finding_nothing_to_check_is_an_error(ws: Path) -> None:
    (ws / "empty").mkdir()
    result = runner.invoke(app, ["validate", "empty"])
    assert result.exit_code == 1
    assert f"nothing to validate: no flow or selector-map file in {ws / 'empty'}" \
        in result.output
    assert "ok:" not in result.output


@pytest.mark.parametrize("setting", ["flows", "selectors"])
def test_a_configured_folder_that_does_not_exist_is_an_error(ws: Path, setting: str) -> None:
    (ws / "pyproject.toml").write_text(f'[tool.portwright]\n{setting} = "{setting}z"\n')
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 1
    assert f"setting '{setting}' ({setting} = \"{setting}z\" in {ws / 'pyproject.toml'}) " \
        f"names the folder {ws / (setting + 'z')}, which does not exist" in result.output
    assert "ok:" not in result.output


def test_flows_list_refuses_a_flows_folder_that_does_not_exist(ws: Path) -> None:
    assert "toy.names" in runner.invoke(app, ["flows", "list"]).output
    (ws / "pyproject.toml").write_text('[tool.portwright]\nflows = "flowz"\n')
    result = runner.invoke(app, ["flows", "list"])
    assert result.exit_code == 1
    assert f"error: setting 'flows' (flows = \"flowz\" in {ws / 'pyproject.toml'}) names " \
        f"the folder {ws / 'flowz'}, which does not exist" in result.output
    assert "┃ flow" not in result.output  # no empty table


def test_an_unknown_extract_field_name_is_reported_at_the_field(ws: Path) -> None:
    flow = ws / "flows" / "toy" / "names.yaml"
    flow.write_text(FLOW)
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 1
    # line 10 holds 'target: home.row.born' (column 17), not the step's line 4
    assert f"{flow}:10:17: logical name 'home.row.born' is not in selector map toy 4.0 " \
        "(field 'steps[1].fields.born.target')" in result.output


def test_a_name_read_from_fetched_html_that_needs_a_rendered_page_is_an_error(
        ws: Path) -> None:
    """A role strategy cannot be evaluated on fetched HTML (no layout, no accessibility
    tree); validate says so at the step's line instead of the run failing mid-way."""
    (ws / "selectors" / "toy" / "4.0.yaml").write_text(
        MAP + '  home.title: [{role: heading, name: "Patients"}]\n')
    flow = ws / "flows" / "toy" / "fetched.yaml"
    flow.write_text("""flow: toy.fetched
steps:
  - {action: request, url: "https://example.test/", into: tab}
  - action: extract
    into: header
    html: "{{ tab.text }}"
    fields:
      title: home.title
""")
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 1, result.output
    assert f"{flow}:8:14: field 'title' uses" in result.output  # where the name is written
    assert "logical name 'home.title', whose strategy role=heading" in result.output
    assert "needs a rendered page" in result.output and "map toy 4.0" in result.output
