"""A map entry whose selector the browser cannot parse (CSS or XPath syntax), met by
``portwright run``: whichever way the name is used (an action, a probe, a field of a row,
a fallback behind a primary that matched), the run fails with ``SelectorInvalid`` naming
the logical name, the strategy, the map file and version and the browser's reason; never
as "element missing", never as Playwright's stack of JavaScript frames, never retried."""

from __future__ import annotations

import json
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import Browser
from typer.testing import CliRunner

from portwright.cli.app import app
from portwright.engine import Engine
from portwright.exceptions import SelectorInvalid, SelectorNotFound
from portwright.settings import load_settings

pytestmark = pytest.mark.browser

ENTRIES = """  home.bad_css: [{css: "[data-id=2]"}]
  home.bad_first: [{css: "[data-id=2]"}, {css: "#hello"}]
  home.bad_fallback: [{role: button, name: "Hello"}, {css: "button[id=hello"}]
  home.bad_xpath: [{xpath: "//h1["}]
  home.row.bad: {strategies: [{css: "td["}], scope: home.row}
"""

FLOWS = {
    "click_bad.yaml": """flow: toy.click_bad
steps:
  - {action: goto, url: "{{ portal.base_url }}/"}
  - {action: click, target: home.bad_css, retries: 2}
""",
    "click_bad_first.yaml": """flow: toy.click_bad_first
steps:
  - {action: goto, url: "{{ portal.base_url }}/"}
  - {action: click, target: home.bad_first}
""",
    "click_bad_fallback.yaml": """flow: toy.click_bad_fallback
steps:
  - {action: goto, url: "{{ portal.base_url }}/"}
  - {action: click, target: home.bad_fallback}
""",
    "probe_bad.yaml": """flow: toy.probe_bad
steps:
  - {action: goto, url: "{{ portal.base_url }}/"}
  - action: if
    visible: home.bad_xpath
    then: [{action: click, target: home.hello}]
""",
    "read_bad.yaml": """flow: toy.read_bad
steps:
  - {action: goto, url: "{{ portal.base_url }}/"}
  - {action: extract, into: title, target: home.bad_xpath, fields: {title: {}}}
""",
    "assert_bad.yaml": """flow: toy.assert_bad
steps:
  - {action: goto, url: "{{ portal.base_url }}/"}
  - {action: assert, check: visible, target: home.bad_fallback, timeout_ms: 500}
""",
    "assert_hidden_bad.yaml": """flow: toy.assert_hidden_bad
steps:
  - {action: goto, url: "{{ portal.base_url }}/"}
  - {action: assert, check: hidden, target: home.bad_xpath, timeout_ms: 500}
""",
    "rows_bad.yaml": """flow: toy.rows_bad
steps:
  - {action: goto, url: "{{ portal.base_url }}/"}
  - {action: extract, into: rows, rows: home.row, fields: {name: home.row.name,
     bad: home.row.bad}}
""",
}


@pytest.fixture(scope="module")
def invalid_ws(workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The runner workspace, its map extended with ``ENTRIES``, its flows with ``FLOWS``."""
    root = tmp_path_factory.mktemp("invalidws") / "ws"
    shutil.copytree(workspace, root)
    map_file = root / "selectors" / "toy" / "4.0.yaml"
    map_file.write_text(map_file.read_text() + ENTRIES)
    for name, text in FLOWS.items():
        (root / "flows" / "toy" / name).write_text(text)
    return root


@pytest_asyncio.fixture(loop_scope="session")
async def engine(browser: Browser, invalid_ws: Path, toy_site: Any
                 ) -> AsyncIterator[Engine]:
    eng = Engine(load_settings(invalid_ws), browser=browser,
                 portal_urls={"toy": toy_site.url})
    yield eng
    await eng.close()


async def invalid(engine: Engine, flow: str) -> SelectorInvalid:
    with pytest.raises(SelectorInvalid) as info:
        await engine.run(flow)
    return info.value


def assert_plain(error: SelectorInvalid, map_file: Path) -> None:
    text = str(error)
    assert not isinstance(error, SelectorNotFound)
    assert "(map 4.0)" in text and f"fix it in {map_file}" in text, text
    assert "<anonymous>" not in text and "Locator." not in text, text


@pytest.mark.parametrize("flow", ["toy.click_bad", "toy.click_bad_first"])
async def test_an_action_on_a_name_whose_primary_is_invalid(
        engine: Engine, invalid_ws: Path, flow: str) -> None:
    error = await invalid(engine, flow)
    name = "home.bad_css" if flow == "toy.click_bad" else "home.bad_first"
    assert (error.name, error.strategy, error.index) == (name, "css=[data-id=2]", 0)
    assert error.reason == ("SyntaxError: Failed to execute 'querySelectorAll' on "
                            "'Document': '[data-id=2]' is not a valid selector.")
    assert error.map_version == "4.0"
    assert error.file == str(invalid_ws / "selectors" / "toy" / "4.0.yaml")
    text = str(error)
    assert text.startswith(f"strategy 1 of '{name}', css=[data-id=2], is not a valid "
                           "selector: SyntaxError:"), text
    assert_plain(error, invalid_ws / "selectors" / "toy" / "4.0.yaml")


async def test_an_invalid_fallback_behind_a_primary_that_matched(
        engine: Engine, invalid_ws: Path) -> None:
    error = await invalid(engine, "toy.click_bad_fallback")
    assert (error.name, error.strategy, error.index) == (
        "home.bad_fallback", "css=button[id=hello", 1)
    assert "while parsing css selector" in error.reason
    assert_plain(error, invalid_ws / "selectors" / "toy" / "4.0.yaml")


@pytest.mark.parametrize("flow", ["toy.probe_bad", "toy.read_bad"])
async def test_a_probe_or_a_read_of_an_invalid_xpath(engine: Engine, invalid_ws: Path,
                                                     flow: str) -> None:
    error = await invalid(engine, flow)
    assert (error.name, error.strategy) == ("home.bad_xpath", "xpath=//h1[")
    assert "is not a valid XPath expression" in error.reason
    assert_plain(error, invalid_ws / "selectors" / "toy" / "4.0.yaml")


@pytest.mark.parametrize("flow", ["toy.assert_bad", "toy.assert_hidden_bad"])
async def test_an_assertion_on_an_invalid_selector_is_no_failed_assertion(
        engine: Engine, invalid_ws: Path, flow: str) -> None:
    error = await invalid(engine, flow)
    assert error.name == ("home.bad_fallback" if flow == "toy.assert_bad" else "home.bad_xpath")
    assert_plain(error, invalid_ws / "selectors" / "toy" / "4.0.yaml")


async def test_a_field_of_a_row_with_an_invalid_selector(engine: Engine,
                                                          invalid_ws: Path) -> None:
    error = await invalid(engine, "toy.rows_bad")
    assert (error.name, error.strategy) == ("home.row.bad", "css=td[")
    assert_plain(error, invalid_ws / "selectors" / "toy" / "4.0.yaml")


def test_run_says_it_in_one_error_and_does_not_retry(invalid_ws: Path, toy_site: Any,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(invalid_ws)
    result = CliRunner().invoke(app, ["run", "toy.click_bad", "--portal-url", toy_site.url],
                                env={"COLUMNS": "250"})
    assert result.exit_code == 1, result.output
    assert "strategy 1 of 'home.bad_css', css=[data-id=2], is not a valid selector" \
        in result.output, result.output
    assert "Traceback" not in result.output and "<anonymous>" not in result.output
    # the click asks for two retries; the map cannot be parsed on a second try either
    logs = list((invalid_ws / "out" / "artifacts" / "toy.click_bad").glob("*/steps.jsonl"))
    assert logs
    for log in logs:
        click = json.loads(log.read_text().splitlines()[1])
        assert (click["action"], click["status"], click["attempts"]) == ("click", "failed", 1)
        assert "errors" not in click
