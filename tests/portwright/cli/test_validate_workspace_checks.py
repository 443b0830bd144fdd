"""``portwright validate`` checks the workspace as a run will use it: maps of a portal
whose flows are validated, flows calling flows, one file per flow name, files that are
not UTF-8 — each reported as ``file:line:col: what; expected what`` and exit 1."""

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
selectors:
  home.hello: [{css: "#hello"}]
"""

NAMES = """flow: toy.names
inputs:
  limit: {type: int}
  sort: {type: string, default: name}
steps:
  - {action: goto, url: "https://example.test/"}
  - {action: click, target: home.hello}
"""

OUTER = """flow: toy.outer
steps:
  - {action: goto, url: "https://example.test/"}
  - action: call
    flow: toy.names
    inputs: {limit: 3}
"""


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A valid workspace with one map and two flows (one calls the other), as the
    current directory."""
    (tmp_path / "pyproject.toml").write_text('[tool.portwright]\nflows = "flows"\n')
    (tmp_path / "selectors" / "toy").mkdir(parents=True)
    (tmp_path / "selectors" / "toy" / "4.0.yaml").write_text(MAP)
    (tmp_path / "flows" / "toy").mkdir(parents=True)
    (tmp_path / "flows" / "toy" / "names.yaml").write_text(NAMES)
    (tmp_path / "flows" / "toy" / "outer.yaml").write_text(OUTER)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _errors(*args: str) -> list[str]:
    result = runner.invoke(app, ["validate", *args])
    assert result.exit_code == 1, result.output
    assert "ok:" not in result.output
    return result.output.splitlines()


def test_the_workspace_validates(ws: Path) -> None:
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["validate", "."])
    assert result.exit_code == 0, result.output


def test_a_broken_map_is_reported_when_only_the_flows_are_validated(ws: Path) -> None:
    (ws / "selectors" / "toy" / "4.0.yaml").write_text(MAP.replace('"4.0"', '"4.1"'))
    lines = _errors("flows")
    assert f"{ws}/selectors/toy/4.0.yaml:2:10: version '4.1' differs from the file name " \
        "'4.0.yaml' (field 'version'); expected \"4.0\" (the file name without .yaml)" \
        in lines


def test_validating_the_workspace_root_checks_the_maps_too(ws: Path) -> None:
    (ws / "selectors" / "toy" / "4.0.yaml").write_text(MAP.replace("home.hello:",
                                                                  "home.hello: 3\n  x:"))
    lines = _errors(".")
    assert any(line.startswith(f"{ws}/selectors/toy/4.0.yaml:6:") for line in lines), lines


def test_a_file_that_is_not_utf8_is_one_error_among_others(ws: Path) -> None:
    (ws / "flows" / "toy" / "latin1.yaml").write_bytes(
        b"flow: toy.latin1\ndescription: caf\xe9\nsteps: []\n")
    (ws / "flows" / "toy" / "typo.yaml").write_text("flow: toy.typo\nstep: []\n")
    lines = _errors()
    assert f"{ws}/flows/toy/latin1.yaml:2:17: not UTF-8 text (byte 0xe9 invalid " \
        "continuation byte); expected UTF-8; re-save the file as UTF-8" in lines
    assert any(line.startswith(f"{ws}/flows/toy/typo.yaml:") for line in lines)


def test_a_map_that_is_not_utf8_is_reported_at_its_byte(ws: Path) -> None:
    (ws / "selectors" / "toy" / "4.0.yaml").write_bytes(
        MAP.encode() + b"  home.caf\xe9: [{css: x}]\n")
    lines = _errors()
    assert f"{ws}/selectors/toy/4.0.yaml:7:11: not UTF-8 text (byte 0xe9 invalid " \
        "continuation byte); expected UTF-8; re-save the file as UTF-8" in lines


def test_a_flow_with_a_byte_order_mark_can_be_listed_and_called(ws: Path) -> None:
    (ws / "flows" / "toy" / "names.yaml").write_bytes(b"\xef\xbb\xbf" + NAMES.encode())
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    listed = runner.invoke(app, ["flows", "list"])
    assert listed.exit_code == 0, listed.output
    assert "toy.names\t1\tno\tlimit:int, sort?:string" in listed.output


def test_a_call_of_an_unknown_flow_is_reported_at_the_call_step(ws: Path) -> None:
    (ws / "flows" / "toy" / "outer.yaml").write_text(OUTER.replace("toy.names", "toy.nmaes"))
    lines = _errors()
    assert f"{ws}/flows/toy/outer.yaml:4:5: calls unknown flow 'toy.nmaes' (field " \
        "'steps[1].flow'); expected a flow of the workspace; did you mean 'toy.names'?" \
        in lines


def test_inputs_the_called_flow_does_not_declare_are_reported(ws: Path) -> None:
    (ws / "flows" / "toy" / "outer.yaml").write_text(
        OUTER.replace("{limit: 3}", "{limit: 3, sotr: date}"))
    lines = _errors()
    assert f"{ws}/flows/toy/outer.yaml:4:5: gives input 'sotr', which flow 'toy.names' " \
        "does not declare (field 'steps[1].inputs.sotr'); expected one of its inputs: " \
        "limit, sort" in lines


def test_required_inputs_of_the_called_flow_must_be_given(ws: Path) -> None:
    (ws / "flows" / "toy" / "outer.yaml").write_text(OUTER.replace("{limit: 3}", "{}"))
    lines = _errors()
    assert f"{ws}/flows/toy/outer.yaml:4:5: does not give the required input(s) 'limit' " \
        "of flow 'toy.names' (field 'steps[1].inputs'); expected every input the called " \
        "flow requires (no default, not 'required: false')" in lines


def test_calls_that_come_back_are_reported_as_a_cycle(ws: Path) -> None:
    (ws / "flows" / "toy" / "names.yaml").write_text(
        NAMES + "  - {action: call, flow: toy.outer}\n")
    lines = _errors()
    assert any(line.startswith(f"{ws}/flows/toy/names.yaml:8:5: calls make a cycle: "
                               "toy.names → toy.outer → toy.names") for line in lines), lines
    assert any(line.startswith(f"{ws}/flows/toy/outer.yaml:4:5: calls make a cycle: "
                               "toy.outer → toy.names → toy.outer") for line in lines), lines


def test_two_files_declaring_one_flow_name_are_both_named(ws: Path) -> None:
    (ws / "flows" / "toy" / "names_copy.yaml").write_text(NAMES)
    lines = _errors()
    assert f"{ws}/flows/toy/names.yaml:1:1: flow 'toy.names' is declared by 2 files: " \
        f"{ws}/flows/toy/names_copy.yaml as well (field 'flow'); expected each flow name " \
        "in one file only; rename or remove the others" in lines


def test_flows_list_shows_where_and_what_is_wrong_with_an_invalid_flow(ws: Path) -> None:
    (ws / "flows" / "toy" / "latin1.yaml").write_bytes(
        b"flow: toy.latin1\ndescription: caf\xe9\nsteps: []\n")
    (ws / "flows" / "toy" / "typo.yaml").write_text(
        "flow: toy.typo\nsteps:\n  - {action: goto, url: /x, timeout_ms: 0}\n")
    listed = runner.invoke(app, ["flows", "list"])
    assert listed.exit_code == 1
    assert "toy.latin1\t-\t-\t-\t-\tinvalid: flows/toy/latin1.yaml:2:17: not UTF-8 text " \
        "(byte 0xe9 invalid continuation byte); expected UTF-8; re-save the file as " \
        "UTF-8\n" in listed.output
    assert "toy.typo\t-\t-\t-\t-\tinvalid: flows/toy/typo.yaml:3:41: invalid value 0 (field " \
        "'steps[0].timeout_ms'); expected greater than 0\n" in listed.output
    assert "toy.names\t1\tno\tlimit:int, sort?:string" in listed.output
