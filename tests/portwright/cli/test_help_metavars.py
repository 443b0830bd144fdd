"""``--help`` of every command prints the metavars of Click-based tools (``TEXT``,
``INTEGER``, ``PATH``...) and nothing after a flag, not Python types (``<str>``,
``<bool>``, ``<list[str]>``), which made every flag read as if it took a value."""

from __future__ import annotations

import re
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from portwright.cli.app import app

#: a Python type where a metavar belongs, as Typer 0.29 prints it
PYTHON_TYPE = re.compile(r"<(?:bool|str|int|float|path|file|dir|list\[[^\]]*\])>")


def _command_paths(command: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command and group under ``command``, as the words that name it."""
    found = [path]
    for name, sub in getattr(command, "commands", {}).items():
        found += _command_paths(sub, (*path, name))
    return found


COMMANDS = _command_paths(typer.main.get_command(app))


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal wide enough that no help line is wrapped."""
    monkeypatch.setenv("COLUMNS", "250")


def _help(*path: str) -> str:
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    return result.output


def test_every_command_is_checked() -> None:
    assert len(COMMANDS) > 30
    assert ("run",) in COMMANDS and ("flows", "list") in COMMANDS and () in COMMANDS


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "portwright")
def test_help_shows_no_python_type_as_a_metavar(wide: None, path: tuple[str, ...]) -> None:
    shown = _help(*path)
    assert PYTHON_TYPE.search(shown) is None, shown


def _row(shown: str, option: str) -> str:
    """The words of the help table row of ``option``, without the table's borders."""
    line = next(li for li in shown.splitlines()
                if li.startswith("│") and re.search(rf"\s{re.escape(option)}\s", li))
    return " ".join(line.strip("│ ").split())


def test_values_show_click_metavars_and_flags_show_none(wide: None) -> None:
    run = _help("run")
    assert _row(run, "flow").startswith("* flow TEXT Flow name")
    assert _row(run, "--portal-url") == "--portal-url TEXT Portal base URL."
    assert _row(run, "--out").startswith("--out -o PATH Write the result here.")
    assert _row(run, "--input") == "--input -i TEXT key=value"
    assert _row(run, "--headed") == "--headed Show the browser."
    assert _row(run, "--help") == "--help Show this message and exit."
    sandbox = _help("sandbox")
    assert _row(sandbox, "--port").startswith("--port INTEGER RANGE [0<=x<=65535] Port to")
    assert _row(sandbox, "--seed").startswith("--seed INTEGER Seed")
    assert _row(_help("claims", "submit"), "--key").startswith("* --key FILE Private key")
    assert _row(_help(), "--version") == "--version Print the version."
