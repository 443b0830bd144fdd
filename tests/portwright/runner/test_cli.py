"""The engine's commands: run, validate, flows list, schema, selectors check."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from portwright.cli.app import app
from portwright.flow.schema import flow_schema_text

from .conftest import FLOWS

runner = CliRunner()
FLOWS_NAMES = [f"toy.{name.removesuffix('.yaml')}" for name in FLOWS]


def test_validate_accepts_a_sound_workspace(ws: Path) -> None:
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert f"ok: {len(FLOWS) + 1} file(s) valid" in result.output  # the flows and the map


def test_validate_reports_every_problem_and_exits_1(ws: Path) -> None:
    (ws / "flows" / "toy" / "bad.yaml").write_text(
        "flow: toy.bad\nsteps:\n  - {action: click, target: home.nowhere}\n"
        "  - {action: clik, target: x}\n")
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 1
    bad = str(ws / "flows" / "toy" / "bad.yaml")
    assert f"{bad}:4:6: unknown action 'clik'" in result.output
    result = runner.invoke(app, ["validate", "flows/toy/names.yaml"])
    assert result.exit_code == 0


def test_validate_checks_names_against_every_map_version(ws: Path) -> None:
    (ws / "flows" / "toy" / "ghost.yaml").write_text(
        "flow: toy.ghost\nsteps:\n  - {action: click, target: home.nowhere}\n")
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 1
    assert "logical name 'home.nowhere' is not in selector map toy 4.0" in result.output


def test_flows_list_shows_inputs_and_outputs(ws: Path) -> None:
    result = runner.invoke(app, ["flows", "list"])
    assert result.exit_code == 0
    assert "toy.names" in result.output and "limit?:int" in result.output


def test_flows_list_piped_is_one_whole_tab_separated_line_per_flow(ws: Path) -> None:
    """A pipe (here: not a terminal) gets every name whole, whatever the width."""
    result = runner.invoke(app, ["flows", "list"], env={"COLUMNS": "40"})
    assert result.exit_code == 0, result.output
    header, *rows = [line.split("\t") for line in result.output.splitlines()]
    assert header == ["flow", "version", "mutates", "inputs", "outputs", "file"]
    assert sorted(row[0] for row in rows) == sorted(FLOWS_NAMES)
    assert all(len(row) == 6 for row in rows)


def test_flows_list_at_a_narrow_terminal_never_cuts_a_flow_name(ws: Path) -> None:
    result = runner.invoke(app, ["flows", "list"],
                           env={"COLUMNS": "60", "FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    assert "\t" not in result.output  # the table, for a person
    for name in FLOWS_NAMES:
        assert name in result.output


def test_schema_flow_prints_the_schema(ws: Path) -> None:
    result = runner.invoke(app, ["schema", "flow", "--out", "-"])
    assert result.exit_code == 0
    assert json.loads(result.output) == json.loads(flow_schema_text())
    result = runner.invoke(app, ["schema", "selectors"])
    assert (ws / "selectors" / "selector-map.schema.json").exists()


@pytest.mark.browser
def test_run_writes_the_result_and_fails_with_exit_1(ws: Path, toy_site: Any) -> None:
    out = ws / "result.json"
    result = runner.invoke(app, ["run", "toy.names", "--portal-url", toy_site.url,
                                 "--input", "limit=1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["outputs"] == {"names": ["Ann"]}
    assert data["portal_version"] == "4.0" and data["flow_version"] == 2

    failed = runner.invoke(app, ["run", "toy.broken", "--portal-url", toy_site.url])
    assert failed.exit_code == 1
    assert "no strategy matched" in failed.output and "failure.png" in failed.output

    bad_input = runner.invoke(app, ["run", "toy.names", "--input", "limit"])
    assert bad_input.exit_code != 0 and "is not key=value" in bad_input.output


@pytest.mark.browser
def test_selectors_check_classifies_every_name(ws: Path, toy_site: Any) -> None:
    result = runner.invoke(app, ["selectors", "check", "toy", "--url", toy_site.url],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 1   # home.gone is missing
    lines = {line.split("│")[1].strip(): line for line in result.output.splitlines()
             if line.count("│") > 3}
    assert "primary" in lines["home.hello"]
    assert "primary" in lines["home.row"]
    assert "missing" in lines["home.gone"]
    assert "not shown" in lines["home.error"]
    assert "primary" in lines["home.search"]
    assert "primary: 4, fallback: 0, missing: 1, ambiguous: 0, invalid: 0, not shown: 1" \
        in result.output


def test_names_missing_in_some_versions_warn_unless_the_flow_claims_them(ws: Path) -> None:
    (ws / "selectors" / "toy" / "4.1.yaml").write_text(
        'portal: toy\nversion: "4.1"\nextends: "4.0"\nremove: [home.hello]\n')
    (ws / "flows" / "toy" / "hello.yaml").write_text(
        "flow: toy.hello\nsteps:\n  - {action: click, target: home.hello}\n")
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0
    assert "warning:" in result.output and "'home.hello' is not in selector map toy 4.1" \
        in result.output
    (ws / "flows" / "toy" / "hello.yaml").write_text(
        'flow: toy.hello\nsupports: ["4.0", "4.1"]\n'
        "steps:\n  - {action: click, target: home.hello}\n")
    assert runner.invoke(app, ["validate"]).exit_code == 1
