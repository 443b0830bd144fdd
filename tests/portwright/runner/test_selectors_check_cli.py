"""``portwright selectors check`` when it cannot check: an unknown portal or map version,
a URL that is not one or where nothing answers, a page no map matches; and its table,
which shows every selector as written (CSS brackets are not Rich markup)."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from portwright.cli.app import app
from portwright.runner.engine import Engine

runner = CliRunner()


@pytest.fixture
def no_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if the command starts a browser."""

    async def start(self: Engine) -> Any:
        raise AssertionError("a browser was started")

    monkeypatch.setattr(Engine, "start", start)


def check(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["selectors", "check", *args], env={"COLUMNS": "250"})
    return result.exit_code, result.output


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def test_a_version_that_does_not_exist_is_an_error_line(ws: Path, no_browser: None) -> None:
    code, output = check("toy", "--url", "http://127.0.0.1:9", "--version", "2099.1")
    assert code == 1, output
    assert output.startswith(
        f"error: {ws / 'selectors' / 'toy'}: pinned selector-map version '2099.1' does not "
        "exist; expected one of 4.0"), output
    assert "Traceback" not in output and "KeyError" not in output


@pytest.mark.browser
def test_run_gives_the_same_error_for_the_same_version(ws: Path, toy_site: Any) -> None:
    """The message is one, shared: ``run --selectors-version`` says the same."""
    result = runner.invoke(app, ["run", "toy.names", "--portal-url", toy_site.url,
                                 "--selectors-version", "2099.1"])
    assert result.exit_code == 2   # a usage error, refused before the browser starts
    assert "pinned selector-map version '2099.1' does not exist; expected one of 4.0" \
        in result.output


def test_an_unknown_portal_names_the_portals_there_are(ws: Path, no_browser: None) -> None:
    code, output = check("nope", "--url", "http://127.0.0.1:9")
    assert code == 1, output
    assert "error: " in output and "no selector maps for portal 'nope'" in output
    assert "expected a portal with maps: toy" in output
    assert "matches the page" not in output and "--selectors-version" not in output


def test_a_url_that_is_not_one_is_an_error_naming_this_command_s_option(
        ws: Path, no_browser: None) -> None:
    code, output = check("toy", "--url", "not-a-url")
    assert code == 1, output
    assert "error: the URL of portal 'toy' ('not-a-url') is not an absolute http(s) URL" \
        in output
    assert "e.g. --url https://portal.example" in output and "--portal-url" not in output


@pytest.mark.browser
def test_nothing_answering_at_the_url_is_said_as_run_says_it(ws: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    code, output = check("toy", "--url", url)
    assert code == 1, output
    assert output.startswith("error: "), output
    assert "Traceback" not in output
    hint = f"hint: nothing answers at {url}/: is the portal (or the sandbox) running"
    assert hint in output
    ran = runner.invoke(app, ["run", "toy.names", "--portal-url", url])
    assert ran.exit_code == 1 and "hint: nothing answers at" in ran.output


@pytest.mark.browser
def test_when_no_map_matches_the_page_the_hint_names_this_command_s_option(
        ws: Path, toy_site: Any) -> None:
    map_file = ws / "selectors" / "toy" / "4.0.yaml"
    map_file.write_text(map_file.read_text().replace('"^4\\\\."', '"^5\\\\."'))
    code, output = check("toy", "--url", toy_site.url)
    assert code == 1, output
    assert "no selector map of 'toy' matches the page" in output
    assert "pin a version (--version)" in output and "--selectors-version" not in output


@pytest.mark.browser
def test_the_table_shows_selectors_with_brackets_whole(ws: Path, toy_site: Any) -> None:
    map_file = ws / "selectors" / "toy" / "4.0.yaml"
    map_file.write_text(map_file.read_text() + (
        '  home.first: [{css: "tr[data-id=\'1\'] td"}]\n'
        "  home.second: [{css: '[data-id=\"2\"]'}]\n"
        '  home.labelled: [{css: "#nothing"}, {css: "input[aria-label=Search]"}]\n'
        '  home.bold: [{xpath: "//tr[@data-id=\'2\']"}]\n'))
    code, output = check("toy", "--url", toy_site.url)
    assert code == 1, output  # home.gone is missing
    cells = {line.split("│")[1].strip(): [c.strip() for c in line.split("│")[2:]]
             for line in output.splitlines() if line.count("│") > 3}
    assert cells["home.first"][:2] == ["primary", "css=tr[data-id='1'] td"], output
    assert cells["home.second"][:2] == ["primary", 'css=[data-id="2"]'], output
    assert cells["home.labelled"][:2] == ["fallback", "css=input[aria-label=Search]"], output
    assert cells["home.bold"][:2] == ["primary", "xpath=//tr[@data-id='2']"], output


#: map entries whose selectors the browser refuses to parse, among names that are fine
INVALID = (
    '  home.bad_css: [{css: "[data-id=2]"}]\n'                  # the value must be quoted
    '  home.bad_xpath: [{xpath: "//tr[@data-id="}]\n'
    '  home.bad_fallback: [{role: button, name: "Hello"}, {css: "tr[data-id=1"}]\n'
    '  home.after: [{css: "#q"}]\n')


def without_gone(map_file: Path) -> None:
    """The toy map without its one missing name, plus ``INVALID``."""
    map_file.write_text(map_file.read_text().replace('  home.gone: [{css: "#gone"}]\n', "")
                        + INVALID)


@pytest.mark.browser
def test_an_invalid_selector_is_reported_by_name_and_every_other_name_is_checked(
        ws: Path, toy_site: Any) -> None:
    map_file = ws / "selectors" / "toy" / "4.0.yaml"
    without_gone(map_file)
    code, output = check("toy", "--url", toy_site.url)
    assert code == 1, output  # only the invalid names fail the check
    assert "error:" not in output and "Traceback" not in output, output
    cells = {line.split("│")[1].strip(): [c.strip() for c in line.split("│")[2:]]
             for line in output.splitlines() if line.count("│") > 3}
    assert {n: c[0] for n, c in cells.items()} == {
        "home.hello": "primary", "home.row": "primary", "home.row.name": "primary",
        "home.search": "primary", "home.error": "not shown", "home.after": "primary",
        "home.bad_css": "invalid", "home.bad_xpath": "invalid",
        "home.bad_fallback": "invalid"}, output
    assert cells["home.bad_css"][1] == "css=[data-id=2]", output
    # a fallback that cannot be parsed fails every action on the name: it is invalid too
    assert cells["home.bad_fallback"][1] == "css=tr[data-id=1", output
    lines = output.splitlines()
    [bad_css] = [line for line in lines if line.startswith("invalid: home.bad_css:")]
    assert "css=[data-id=2] (strategy 1)" in bad_css
    assert "'[data-id=2]' is not a valid selector" in bad_css, bad_css
    [bad_xpath] = [line for line in lines if line.startswith("invalid: home.bad_xpath:")]
    assert "is not a valid XPath expression" in bad_xpath, bad_xpath
    [bad_fallback] = [line for line in lines if line.startswith("invalid: home.bad_fallback:")]
    assert "(strategy 2)" in bad_fallback and "while parsing css selector" in bad_fallback
    assert all(str(map_file) in line for line in (bad_css, bad_xpath, bad_fallback))
    assert "primary: 5, fallback: 0, missing: 0, ambiguous: 0, invalid: 3" in output, output


@pytest.mark.browser
def test_the_proposal_leaves_an_invalid_selector_to_a_person(
        ws: Path, toy_site: Any) -> None:
    map_file = ws / "selectors" / "toy" / "4.0.yaml"
    without_gone(map_file)
    code, output = check("toy", "--url", toy_site.url, "--propose", str(ws / "fix.yaml"))
    assert code == 1, output
    assert (ws / "fix.yaml").read_text() == map_file.read_text()
    assert "by hand: home.bad_css: css=[data-id=2] is not a valid selector: SyntaxError:" \
        in output, output
    assert "by hand: home.bad_fallback: css=tr[data-id=1 is not a valid selector" in output
