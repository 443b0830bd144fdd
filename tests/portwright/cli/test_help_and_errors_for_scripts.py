"""What a person scripting the CLI copies out of its help and its usage errors.

A usage error names the path it could not use whole, on one line, so it can be copied
at any terminal width (``COLUMNS=40``) and grepped in a CI log; help paragraphs fill the
terminal's width instead of breaking after every source line of the docstring; no help
cell is cut short with an ellipsis, so its example pastes as printed.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from portwright.cli.app import app
from portwright_valant.sandbox.faults import parse_faults

ROOT = typer.main.get_command(app)


def _commands(command: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The words naming every command and group under ``command``."""
    found = [path]
    for name, sub in getattr(command, "commands", {}).items():
        found += _commands(sub, (*path, name))
    return found


COMMANDS = _commands(ROOT)


def _help(words: tuple[str, ...], columns: int) -> str:
    result = CliRunner().invoke(app, [*words, "--help"], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_usage_error_names_the_path_whole_at_a_narrow_terminal(tmp_path: Path) -> None:
    blocker = tmp_path / "a_file_not_a_folder"
    blocker.write_text("x")
    folder = blocker / "reports_for_the_nightly_patient_sync"
    result = CliRunner().invoke(
        app, ["run", "valant.providers.list", "--out", str(folder / "providers.json")],
        env={"COLUMNS": "40"})
    assert result.exit_code == 2
    line = next(li for li in result.stderr.splitlines() if "--out" in li)
    assert str(folder) in line  # one line, copyable: not folded at 40 columns
    assert "│" not in result.stderr and "╭" not in result.stderr


def test_group_without_a_command_prints_its_help_and_nothing_on_stderr() -> None:
    result = CliRunner().invoke(app, ["flows"], env={"COLUMNS": "80"})
    assert result.exit_code == 2
    assert "Usage: portwright flows" in result.stdout
    assert result.stderr == ""


def _description(text: str) -> list[str]:
    """The lines of the command's description: between the usage line and the first
    panel (what the docstring becomes)."""
    lines = text.splitlines()
    start = next(i for i, li in enumerate(lines) if "Usage:" in li) + 1
    end = next((i for i, li in enumerate(lines) if li.startswith("╭")), len(lines))
    return [li.strip() for li in lines[start:end]]


@pytest.mark.parametrize("words", COMMANDS, ids=lambda w: " ".join(w) or "portwright")
def test_help_paragraphs_fill_the_terminal_width(words: tuple[str, ...]) -> None:
    columns = 80
    lines = _description(_help(words, columns))
    for line, following in itertools.pairwise(lines):
        if not line or not following:
            continue  # a paragraph's last line may be short
        room = columns - 2 - len(line)  # the help is indented by one space each side
        next_word = following.split()[0]
        assert len(next_word) + 1 > room, (
            f"{' '.join(words)}: {line!r} breaks before {next_word!r}, which fits")


@pytest.mark.parametrize("words", COMMANDS, ids=lambda w: " ".join(w) or "portwright")
def test_no_help_text_is_cut_short(words: tuple[str, ...]) -> None:
    assert "…" not in _help(words, 80)


def test_the_sandbox_fault_example_pastes_as_printed() -> None:
    flat = " ".join(re.sub(r"[│╭╮╰╯─]", " ", _help(("sandbox",), 80)).split())
    example = re.search(r"Fault spec, e\.g\. '([^']+)'", flat)
    assert example is not None, flat
    spec = parse_faults(example.group(1))
    assert spec.latency_ms > 0 and spec.error_rate == pytest.approx(0.1)
