"""The usage line of every command names its arguments as Click-based tools do:
``FLOW`` when required, ``[FLOW]`` when not, ``...`` after one taking several values;
not Typer 0.29's ``{flow}``, which reads as literal braces or a set of choices. The error
for a missing argument names it the same way as the usage line printed above it."""

from __future__ import annotations

import re
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from portwright.cli.app import app

ROOT = typer.main.get_command(app)


def _commands(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    """Every command and group under ``command`` with the words that name it."""
    found = [(path, command)]
    for name, sub in getattr(command, "commands", {}).items():
        found += _commands(sub, (*path, name))
    return found


COMMANDS = _commands(ROOT)


def _conventional(param: Any) -> str:
    """How Click writes an argument in a usage line (its documented convention)."""
    name = str(param.name).upper()
    if not param.required:
        name = f"[{name}]"
    return name + ("..." if param.nargs != 1 else "")


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal wide enough that no usage line is wrapped."""
    monkeypatch.setenv("COLUMNS", "250")


def _usage(output: str) -> str:
    line = next(li for li in output.splitlines() if "Usage:" in li)
    return " ".join(line.split())


def test_every_command_and_some_arguments_are_checked() -> None:
    paths = [path for path, _ in COMMANDS]
    assert len(paths) > 30 and ("run",) in paths and ("secrets", "set") in paths
    arguments = [p for _, c in COMMANDS for p in c.params if p.param_type_name == "argument"]
    assert len(arguments) >= 15
    assert any(not a.required for a in arguments) and any(a.nargs != 1 for a in arguments)


@pytest.mark.parametrize(("path", "command"), COMMANDS,
                         ids=[" ".join(p) or "portwright" for p, _ in COMMANDS])
def test_help_usage_line_names_arguments_in_upper_case(
        wide: None, path: tuple[str, ...], command: Any) -> None:
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    arguments = [_conventional(p) for p in command.params
                 if p.param_type_name == "argument"]
    tail = " COMMAND [ARGS]..." if isinstance(command, typer.core.TyperGroup) else ""
    expected = " ".join(["Usage: portwright", *path, "[OPTIONS]", *arguments]) + tail
    assert _usage(result.output) == expected
    assert not re.search(r"[{}]", _usage(result.output))


@pytest.mark.parametrize(("args", "usage"), [
    (["run", "--help"], "Usage: portwright run [OPTIONS] FLOW"),
    (["replay", "--help"], "Usage: portwright replay [OPTIONS] [FLOW]"),
    (["validate", "--help"], "Usage: portwright validate [OPTIONS] [PATHS]..."),
    (["secrets", "set", "--help"], "Usage: portwright secrets set [OPTIONS] PORTAL NAME"),
])
def test_usage_lines_read_as_click_tools_write_them(wide: None, args: list[str],
                                                    usage: str) -> None:
    assert _usage(CliRunner().invoke(app, args).output) == usage


def test_a_missing_argument_is_named_as_the_usage_line_names_it(wide: None) -> None:
    result = CliRunner().invoke(app, ["run"])
    assert result.exit_code == 2
    assert _usage(result.output) == "Usage: portwright run [OPTIONS] FLOW"
    assert "Missing argument 'FLOW'." in result.output


def test_the_help_table_keeps_the_argument_name(wide: None) -> None:
    """Only the usage line changes: the table row still reads ``flow TEXT``."""
    shown = CliRunner().invoke(app, ["run", "--help"]).output
    row = next(li for li in shown.splitlines() if li.startswith("│") and " flow " in li)
    assert " ".join(row.strip("│ ").split()).startswith("* flow TEXT Flow name")
