"""``portwright settings`` says which level set each value: the question a person asks
when a run does not behave as the workspace file says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portwright.cli.app import app


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "portwright.toml").write_text(
        '# the team\'s workspace\nstep_timeout_ms = 4000\nartifacts = "out/a"\n'
        "headless = true\n")
    (tmp_path / "flows" / "valant").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "flows" / "valant")   # found from a sub-folder
    monkeypatch.setenv("PORTWRIGHT_HEADLESS", "false")
    monkeypatch.setenv("COLUMNS", "250")
    return tmp_path


def test_each_value_names_the_level_and_place_that_set_it(ws: Path) -> None:
    result = CliRunner().invoke(app, ["settings", "--json"])
    assert result.exit_code == 0, result.output
    rows = {row["name"]: row for row in json.loads(result.output)}
    assert rows["step_timeout_ms"] == {"name": "step_timeout_ms", "value": 4000,
                                       "level": "workspace",
                                       "from": f"{ws / 'portwright.toml'}:2"}
    assert rows["artifacts"]["value"] == str(ws / "out" / "a")
    assert rows["artifacts"]["from"] == f"{ws / 'portwright.toml'}:3"
    # the variable beats the file's line 4
    assert (rows["headless"]["value"], rows["headless"]["level"],
            rows["headless"]["from"]) == (False, "environment", "PORTWRIGHT_HEADLESS")
    assert (rows["page_recycle_runs"]["level"], rows["page_recycle_runs"]["from"]) == (
        "default", "default")


def test_piped_it_is_one_tab_separated_row_per_setting(ws: Path) -> None:
    result = CliRunner().invoke(app, ["settings"])
    assert result.exit_code == 0, result.output
    lines = [line.split("\t") for line in result.output.splitlines()]
    assert lines[0] == ["setting", "value", "level", "from"]
    assert ["step_timeout_ms", "4000", "workspace", f"{ws / 'portwright.toml'}:2"] in lines


def test_a_bad_value_is_an_error_line_exit_1(ws: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTWRIGHT_STEP_TIMEOUT_MS", "soon")
    result = CliRunner().invoke(app, ["settings"])
    assert result.exit_code == 1
    assert "PORTWRIGHT_STEP_TIMEOUT_MS" in result.output and "Traceback" not in result.output
