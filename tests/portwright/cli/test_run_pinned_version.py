"""``portwright run --selectors-version`` refuses a version the portal has no map of
before the browser opens (exit 2, naming the versions there are). The run picks its map
only at the first logical name, so a wrong pin used to be ignored by a flow without one
(``version_pinned: false``) or noticed only after earlier steps, writes included."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from portwright.exceptions import ConfigError
from portwright.runner import browser_pool

MAP = """portal: toy
version: "{v}"
detect:
  - {{meta: app-version, matches: "^{v}"}}
selectors:
  home.hello: [{{css: "#hello"}}]
"""

NO_NAMES = """flow: toy.plain
steps:
  - {action: set, values: {a: "1"}}
"""

WRITES_FIRST = """flow: toy.writes
mutates: true
steps:
  - {action: request, method: POST, url: "https://example.test/api/things", json: {a: 1}}
  - {action: click, target: home.hello}
"""


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A workspace with maps 2025.4 and 2026.1 as the current directory; returns a list
    that records every attempt to open the browser (which fails the run)."""
    (tmp_path / "pyproject.toml").write_text('[tool.portwright]\nflows = "flows"\n')
    maps = tmp_path / "selectors" / "toy"
    maps.mkdir(parents=True)
    for version in ("2025.4", "2026.1"):
        (maps / f"{version}.yaml").write_text(MAP.format(v=version))
    flows = tmp_path / "flows" / "toy"
    flows.mkdir(parents=True)
    (flows / "plain.yaml").write_text(NO_NAMES)
    (flows / "writes.yaml").write_text(WRITES_FIRST)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PORTWRIGHT_STATE", str(tmp_path / "state"))
    opened: list[str] = []

    async def no_browser(*args: object) -> None:
        opened.append("browser")
        raise ConfigError("the browser was opened")

    monkeypatch.setattr(browser_pool, "acquire", no_browser)
    return opened


@pytest.mark.parametrize("flow", ["toy.plain", "toy.writes"])
def test_an_unknown_pinned_version_is_refused_before_the_browser_opens(
        ws: list[str], flow: str) -> None:
    from portwright.cli.app import app

    result = CliRunner().invoke(app, ["run", flow, "--portal-url", "https://example.test",
                                      "--selectors-version", "2099.1"],
                                env={"COLUMNS": "250"})
    assert result.exit_code == 2, result.output
    assert "pinned selector-map version '2099.1' does not exist; expected one of " \
           "2025.4, 2026.1" in result.output
    assert ws == []
    assert "Traceback" not in result.output


def test_a_pinned_version_that_exists_is_not_refused(ws: list[str]) -> None:
    from portwright.cli.app import app

    result = CliRunner().invoke(app, ["run", "toy.plain", "--selectors-version", "2026.1"])
    assert result.exit_code == 1  # it went on to open the (here refused) browser
    assert ws == ["browser"]
