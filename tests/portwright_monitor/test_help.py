"""``portwright-monitor --help`` prints conventional metavars, as ``portwright`` does
(``TEXT``, nothing after a flag), not Typer's Python types (``<str>``, ``<bool>``)."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from portwright_monitor.cli import app

PYTHON_TYPE = re.compile(r"<(?:bool|str|int|float|path|file|dir|list\[[^\]]*\])>")
COMMANDS = [(), *((name,) for name in typer.main.get_command(app).commands)]  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "portwright-monitor")
def test_monitor_help_shows_no_python_type(monkeypatch: pytest.MonkeyPatch,
                                           path: tuple[str, ...]) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert PYTHON_TYPE.search(result.output) is None, result.output


def test_canary_help_shows_flags_bare_and_values_by_metavar(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    shown = CliRunner().invoke(app, ["canary", "--help"]).output
    propose = next(line for line in shown.splitlines() if "--propose" in line)
    assert "TEXT" not in propose and "BOOLEAN" not in propose
    assert any("--portal-url" in line and "TEXT" in line for line in shown.splitlines())
