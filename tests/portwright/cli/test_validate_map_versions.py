"""``portwright validate`` on what a flow says about its portal's map versions: each
mistake is one ``file:line:col: what; expected what`` line and exit 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from portwright.cli.app import app

MAP = """portal: toy
version: "{v}"
detect:
  - {{meta: app-version, matches: "^{v}"}}
selectors:
  home.hello: [{{css: "#hello"}}]
"""


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace with maps 2025.4 and 2026.1 of portal toy, as the current directory."""
    (tmp_path / "pyproject.toml").write_text('[tool.portwright]\nflows = "flows"\n')
    maps = tmp_path / "selectors" / "toy"
    maps.mkdir(parents=True)
    for version in ("2025.4", "2026.1"):
        (maps / f"{version}.yaml").write_text(MAP.format(v=version))
    (tmp_path / "flows" / "toy").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _validate() -> tuple[int, list[str]]:
    result = CliRunner().invoke(app, ["validate"], env={"COLUMNS": "250"})
    return result.exit_code, result.output.splitlines()


def test_an_unknown_supported_version_is_located_and_names_the_versions(ws: Path) -> None:
    flow = ws / "flows" / "toy" / "names.yaml"
    flow.write_text('flow: toy.names\nsupports:\n  - "2025.4"\n  - "2099.1"\nsteps:\n'
                    '  - {action: click, target: home.hello}\n')
    code, lines = _validate()
    assert code == 1, lines
    assert f"{flow}:4:5: 'supports' names unknown map version '2099.1'; expected one of: " \
           "2025.4, 2026.1" in lines


def test_a_map_offers_name_no_version_defines_is_an_error(ws: Path) -> None:
    """A typo there made every version take 'else' and left 'then' unchecked: validate
    said ok although ``home.nowhere`` is in no map."""
    flow = ws / "flows" / "toy" / "offers.yaml"
    flow.write_text("flow: toy.offers\nsteps:\n  - action: if\n"
                    "    map_offers: [home.hello, home.helo]\n"
                    "    then:\n      - {action: click, target: home.nowhere}\n"
                    "    else:\n      - {action: click, target: home.hello}\n")
    code, lines = _validate()
    assert code == 1, lines
    assert f"{flow}:4:30: 'map_offers' names 'home.helo', which no selector map of toy " \
           "defines: every version takes 'else' (field 'steps[0].map_offers[1]'); expected " \
           "a logical name defined in at least one of: 2025.4, 2026.1" in lines
    assert not any("'home.hello'" in line for line in lines)


def test_a_map_offers_name_some_version_defines_is_fine(ws: Path) -> None:
    (ws / "selectors" / "toy" / "2026.1.yaml").write_text(
        MAP.format(v="2026.1") + '  home.new: [{css: "#new"}]\n')
    (ws / "flows" / "toy" / "offers.yaml").write_text(
        "flow: toy.offers\nsteps:\n  - action: if\n    map_offers: [home.new]\n"
        "    then:\n      - {action: click, target: home.new}\n"
        "    else:\n      - {action: click, target: home.hello}\n")
    code, lines = _validate()
    assert code == 0, lines


def test_flows_using_names_of_a_portal_without_maps_are_reported(ws: Path) -> None:
    """validate said ok and checked none of the names; every run would fail at the first."""
    (ws / "flows" / "acme").mkdir()
    flow = ws / "flows" / "acme" / "list.yaml"
    flow.write_text("flow: acme.list\nsteps:\n  - {action: goto, url: 'https://x.test/'}\n"
                    "  - {action: click, target: rows.next}\n")
    (ws / "flows" / "acme" / "api.yaml").write_text(
        "flow: acme.api\nsteps:\n  - {action: request, url: 'https://x.test/api'}\n")
    code, lines = _validate()
    assert code == 1, lines
    assert f"{flow}:4:29: logical name 'rows.next' cannot be checked: portal 'acme' has " \
           "no selector maps (field 'steps[1].target'); expected a selector map " \
           f"{ws / 'selectors' / 'acme'}/<version>.yaml (portal: acme)" in lines
    assert not any("api.yaml" in line for line in lines)  # it needs no map
