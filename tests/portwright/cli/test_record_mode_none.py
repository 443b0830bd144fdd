"""``portwright record --record-mode none`` contradicts itself: the command was given
wrongly (exit 2, naming the option), found before anything else is checked or opened,
not a failed recording (exit 1) as a script would read it."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from portwright.cli.app import app


def test_record_mode_none_on_the_command_line_is_a_usage_error(
        valant_without_url: Path, refused_launches: list[str], tmp_path: Path) -> None:
    result = CliRunner().invoke(app, [
        "record", "valant.providers.list", "--portal-url", "http://127.0.0.1:9",
        "--scenario", "all", "--record-mode", "none"])
    assert result.exit_code == 2, result.output
    assert "--record-mode" in result.stderr and "none" in result.stderr
    assert "once" in result.stderr  # what to use instead
    assert refused_launches == []
    assert not (tmp_path / "artifacts").exists()
