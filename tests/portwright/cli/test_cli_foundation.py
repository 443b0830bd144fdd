"""The CLI entry point: --version, doctor, and adapter registration."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from portwright import __version__, available_adapters, load_adapter
from portwright.cli import app

ROOT = Path(__file__).resolve().parents[3]
runner = CliRunner()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"portwright {__version__}"


def test_console_script_is_installed() -> None:
    exe = Path(sys.executable).parent / "portwright"
    out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=True)
    assert __version__ in out.stdout


def test_doctor_reports_browser_and_workspace() -> None:
    result = runner.invoke(app, ["doctor"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "/usr/bin/chromium" in result.output
    assert "system Chromium" in result.output
    assert "workspace.flows" in result.output


def test_doctor_exits_1_with_a_fix_when_the_browser_is_missing(tmp_path: Path) -> None:
    env = {"PORTWRIGHT_BROWSER": str(tmp_path / "no-such-browser"), "COLUMNS": "200"}
    result = runner.invoke(app, ["doctor"], env=env)
    assert result.exit_code == 1
    assert "fix browser:" in result.output


def test_doctor_prints_a_workspace_path_with_brackets_whole(tmp_path: Path) -> None:
    """A path is text, not Rich markup: ``[1]`` happens to survive markup, ``[b]`` (a
    tag) would vanish."""
    root = tmp_path / "ws[1]" / "clinic[b]"
    (root / "selectors").mkdir(parents=True)  # flows absent: a fix line names its path
    env = {"PORTWRIGHT_ROOT": str(root), "COLUMNS": "400"}
    result = runner.invoke(app, ["doctor"], env=env)
    assert result.exit_code == 1, result.output
    assert f"{root / 'selectors'}" in result.output
    assert f"{root / 'flows'} (absent)" in result.output
    assert f"fix workspace.flows: mkdir -p '{root / 'flows'}'" in result.output


def test_valant_adapter_is_registered_by_entry_point() -> None:
    adapters = available_adapters()
    assert adapters["valant"] == "portwright_valant:ValantAdapter"
    assert load_adapter("valant").name == "valant"
    json.dumps(adapters)


def test_a_bad_setting_is_an_error_line_not_a_traceback() -> None:
    # settings load before any command's own error handling: the entry point catches it
    exe = Path(sys.executable).parent / "portwright"
    env = {"PATH": "/usr/bin:/bin", "PORTWRIGHT_RECORD_MODE": "onse"}
    out = subprocess.run([str(exe), "replay", "valant.providers.list"], capture_output=True,
                         text=True, env=env, stdin=subprocess.DEVNULL, timeout=120)
    assert out.returncode == 1
    assert out.stderr.startswith("error: "), out.stderr
    assert "record_mode (from PORTWRIGHT_RECORD_MODE)" in out.stderr
    assert "Traceback" not in out.stderr and "╭" not in out.stderr


def test_doctor_names_the_adapter_each_step_kind_comes_from() -> None:
    """A flow may use only its own adapter's step kinds: doctor shows whose each one is."""
    result = runner.invoke(app, ["doctor"], env={"COLUMNS": "200"})
    line = next(li for li in result.output.splitlines() if "step kinds" in li)
    assert "json_pages (valant)" in line
