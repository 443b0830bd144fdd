"""``portwright new-adapter`` refuses names whose distribution or package is already
someone else's, and what it writes validates whatever word the name is (YAML reads
``true``, ``false`` and ``null`` as other things than text unless quoted)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portwright.cli.app import app
from portwright.cli.validate import validate_workspace
from portwright.exceptions import ConfigError
from portwright.scaffold import adapter_names, scaffold_adapter
from portwright.selector_map.loader import load_portal_maps


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def test_the_monitor_s_own_distribution_is_not_replaced(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["new-adapter", "monitor", "--workspace",
                                      str(tmp_path)], env={"COLUMNS": "250"})
    assert result.exit_code != 0
    assert "would replace portwright's own distribution 'portwright-monitor'" \
        in result.output
    assert "nothing was written" in result.output and "Traceback" not in result.output
    assert _tree(tmp_path) == set()


def test_an_installed_distribution_that_is_not_an_adapter_is_not_replaced(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    info = site / "portwright_billing-2.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: portwright-billing\n"
                                   "Version: 2.0\n")
    monkeypatch.syspath_prepend(str(site))
    workspace = tmp_path / "ws"
    workspace.mkdir()
    with pytest.raises(ConfigError, match="the installed distribution 'portwright-billing', "
                                          "which is not an adapter"):
        scaffold_adapter(adapter_names("billing"), workspace)
    assert _tree(workspace) == set()


def test_an_importable_package_that_is_not_an_adapter_is_not_replaced(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    (site / "portwright_ledger").mkdir(parents=True)
    (site / "portwright_ledger" / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delitem(sys.modules, "portwright_ledger", raising=False)
    workspace = tmp_path / "ws"
    workspace.mkdir()
    with pytest.raises(ConfigError, match="the installed package 'portwright_ledger'"):
        scaffold_adapter(adapter_names("ledger"), workspace)
    assert _tree(workspace) == set()


@pytest.mark.parametrize("name", ["true", "false", "null"])
def test_a_yaml_word_as_the_name_still_validates(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    scaffold_adapter(adapter_names(name, ui_version="2026.1"), tmp_path)
    monkeypatch.chdir(tmp_path)
    report = validate_workspace()
    assert report.errors == []
    assert load_portal_maps(tmp_path / "selectors" / name)["2026.1"].portal == name
