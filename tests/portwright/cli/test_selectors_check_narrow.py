"""``portwright selectors check`` at a narrow terminal folds its cells instead of cutting
them with "…": a selector name or a strategy is what a person copies into the map file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from portwright.cli.app import app
from portwright_valant.testing import SandboxHandle

from .conftest import ROOT


@pytest.mark.browser
def test_every_name_of_the_map_is_shown_whole_at_60_columns(
        sandbox: SandboxHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("PORTWRIGHT_STATE", str(tmp_path / "state"))
    monkeypatch.setenv("PORTWRIGHT_ARTIFACTS", str(tmp_path / "artifacts"))
    monkeypatch.setenv("PORTWRIGHT_SECRET_VALANT_USERNAME", "devadmin")
    monkeypatch.setenv("PORTWRIGHT_SECRET_VALANT_PASSWORD", "Valant-Dev-2025!")
    result = CliRunner().invoke(app, ["selectors", "check", "valant", "--url", sandbox.url,
                                      "--version", "2025.4"], env={"COLUMNS": "60"})
    assert "…" not in result.stdout
    shown = "".join(line.split("│")[1].strip() for line in result.stdout.splitlines()
                    if line.count("│") == 6)  # the name column, folded onto lines
    map_file = yaml.safe_load((ROOT / "selectors" / "valant" / "2025.4.yaml").read_text())
    names = list(map_file["selectors"])
    assert names
    missing = [name for name in names if name not in shown]
    assert missing == []
