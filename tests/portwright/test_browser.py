"""Browser discovery order, and a real launch of the discovered browser."""

from __future__ import annotations

import asyncio
import base64
import json
import re
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.async_api import Browser, Playwright

import portwright.settings
from portwright.browser import SYSTEM_CHROMIUM, UNUSED_UI_FEATURES, discover_browser, launch
from portwright.engine import Engine
from portwright.exceptions import ConfigError
from portwright.settings import Settings, load_settings

#: the ``logging_chromium`` fixture (tests/portwright/conftest.py)
LoggingBrowser = Callable[[Path, str], tuple[Path, Path]]


def test_env_override_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "my-chrome"
    fake.write_text("")
    fake.chmod(0o755)
    monkeypatch.setenv("PORTWRIGHT_BROWSER", str(fake))
    choice = discover_browser()
    assert choice.executable == fake
    assert "PORTWRIGHT_BROWSER" in choice.reason


def test_env_override_that_does_not_exist_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORTWRIGHT_BROWSER", str(tmp_path / "nope"))
    with pytest.raises(ConfigError, match="does not exist"):
        discover_browser()


@pytest.mark.parametrize("kind", ["not executable", "a folder"])
def test_an_override_that_cannot_be_run_is_an_error_naming_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    target = tmp_path / "chromium"
    if kind == "a folder":
        target.mkdir()
    else:
        target.write_text("#!/bin/sh\n")
    monkeypatch.setenv("PORTWRIGHT_BROWSER", str(target))
    with pytest.raises(ConfigError) as err:
        discover_browser()
    assert f"the browser {target} (from PORTWRIGHT_BROWSER) is {kind}" in str(err.value)


async def test_a_browser_that_fails_to_start_is_one_error_naming_it(
        tmp_path: Path, playwright_instance: Playwright) -> None:
    fake = tmp_path / "not-chromium"
    fake.write_text("#!/bin/sh\necho 'not a browser' >&2\nexit 3\n")
    fake.chmod(0o755)
    with pytest.raises(ConfigError) as err:
        await launch(playwright_instance, override=str(fake), origin="from the command line")
    text = str(err.value)
    assert text.startswith(f"the browser {fake} (the browser setting (from the command "
                           "line)) could not be launched: BrowserType.launch:"), text
    assert "Call log" not in text and len(text.splitlines()) == 2  # message and hint


def _workspace_naming_a_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "flows").mkdir()
    (tmp_path / "selectors").mkdir()
    (tmp_path / "portwright.toml").write_text('browser = "/nonexistent/chromium"\n')
    monkeypatch.delenv("PORTWRIGHT_BROWSER", raising=False)
    monkeypatch.delenv("PORTWRIGHT_ROOT", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "portwright.toml"


def test_doctor_reports_the_workspace_file_s_browser(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from portwright.cli.app import app

    file = _workspace_naming_a_browser(tmp_path, monkeypatch)
    result = CliRunner().invoke(app, ["doctor"], env={"COLUMNS": "400"})
    assert result.exit_code == 1, result.output
    browser_line = next(line for line in result.output.splitlines() if "│ browser" in line)
    assert "MISSING" in browser_line
    assert f'/nonexistent/chromium (browser = "/nonexistent/chromium" in {file}) does not ' \
           "exist" in browser_line
    assert "system Chromium" not in result.output


async def test_a_run_names_the_workspace_file_that_set_the_browser(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = _workspace_naming_a_browser(tmp_path, monkeypatch)
    engine = Engine(load_settings())
    with pytest.raises(ConfigError) as err:
        await engine.start()
    await engine.close()
    assert str(err.value).startswith(f'the browser /nonexistent/chromium (browser = '
                                     f'"/nonexistent/chromium" in {file}) does not exist')
    assert "PORTWRIGHT_BROWSER" not in str(err.value).splitlines()[0]


def test_system_chromium_is_used_without_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PORTWRIGHT_BROWSER", raising=False)
    choice = discover_browser()
    assert choice.executable == SYSTEM_CHROMIUM
    assert "Debian" in choice.reason


async def test_discovered_browser_reads_a_page(browser: Browser) -> None:
    page = await browser.new_page()
    await page.set_content("<h1 id=t>portwright reads pages</h1>")
    assert await page.inner_text("#t") == "portwright reads pages"
    await page.close()


async def _disabled_features(browser: Browser) -> set[str]:
    """The features the running Chromium was told to disable, as chrome://version shows
    them (base64 JSON of its command-line variations)."""
    page = await browser.new_page()
    await page.goto("chrome://version")
    html = await page.content()
    await page.close()
    # the page holds the blob whole, and again cut short for display: read the longest
    blob = max(re.findall(r"eyJ[A-Za-z0-9+/=]+", html), key=len)
    variations = json.loads(base64.b64decode(blob + "=" * (-len(blob) % 4)))
    return set(filter(None, variations.get("disable-features", "").split(",")))


async def test_launch_keeps_every_feature_playwright_disables(
    browser: Browser, playwright_instance: Playwright
) -> None:
    """Chromium obeys only the last ``--disable-features``: ours must repeat Playwright's
    (this fails when a Playwright upgrade adds a feature to its list)."""
    choice = discover_browser()
    plain = await playwright_instance.chromium.launch(
        executable_path=str(choice.executable) if choice.executable else None,
        args=["--no-sandbox"])
    try:
        playwrights = await _disabled_features(plain)
    finally:
        await plain.close()
    ours = await _disabled_features(browser)
    assert playwrights, "chrome://version listed no disabled features for a plain launch"
    assert playwrights <= ours, f"portwright's launch re-enables {sorted(playwrights - ours)}"
    assert set(UNUSED_UI_FEATURES) <= ours


async def test_a_new_context_opens_no_browser_ui_renderers(browser: Browser) -> None:
    """A context is a window; without the launch flags each one preloads the address
    bar's WebUI popups into renderers of their own (CPU a headless run never uses)."""
    context = await browser.new_context()
    try:
        page = await context.new_page()
        await page.set_content("<p>one context</p>")
        cdp = await browser.new_browser_cdp_session()
        targets = await cdp.send("Target.getTargets", {"filter": [{}]})
        await cdp.detach()
    finally:
        await context.close()
    ui = [t["url"] for t in targets["targetInfos"] if t["type"] == "browser_ui"]
    assert ui == []


async def test_an_engine_launches_the_browser_of_its_own_settings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, logging_chromium: LoggingBrowser) -> None:
    """An engine given its settings in Python drives their browser, headless as they say,
    though the workspace around the current folder names another, headed; and no
    settings are read from disk to launch it."""
    workspace_browser, workspace_log = logging_chromium(tmp_path / "bin", "workspace-chrome")
    own_browser, own_log = logging_chromium(tmp_path / "bin", "own-chrome")
    (tmp_path / "cwd").mkdir()
    (tmp_path / "cwd" / "portwright.toml").write_text(
        f'browser = "{workspace_browser}"\nheadless = false\n')
    monkeypatch.chdir(tmp_path / "cwd")
    monkeypatch.delenv("PORTWRIGHT_BROWSER", raising=False)
    monkeypatch.delenv("PORTWRIGHT_HEADLESS", raising=False)
    settings = Settings(root=tmp_path / "service", browser=str(own_browser), headless=True)
    loads: list[object] = []
    real_load = portwright.settings.load_settings
    monkeypatch.setattr(portwright.settings, "load_settings",
                        lambda *a, **k: loads.append(a) or real_load(*a, **k))
    async with Engine(settings) as engine:
        browser = await engine.start()
        page = await browser.new_page()
        await page.set_content("<p id=p>own browser</p>")
        assert await page.inner_text("#p") == "own browser"
        await page.close()
    assert not workspace_log.exists()
    assert "--headless" in own_log.read_text().split()
    assert loads == []


async def test_settings_without_a_browser_discover_one_despite_the_variable(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, logging_chromium: LoggingBrowser) -> None:
    """Settings that name no browser mean discovery (the system Chromium here): the
    variable, set after they were made, does not choose for them."""
    env_browser, env_log = logging_chromium(tmp_path / "bin", "env-chrome")
    settings = Settings(root=tmp_path, browser=None)
    monkeypatch.setenv("PORTWRIGHT_BROWSER", str(env_browser))
    async with Engine(settings) as engine:
        browser = await engine.start()
        assert browser.is_connected()
    assert not env_log.exists()


async def test_a_trace_is_recorded_in_a_private_folder_removed_with_the_browser(
        playwright_instance: Playwright, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """While a context is traced, Playwright writes the live recording (every snapshot,
    typed passwords included) into the browser's traces folder: it must be the owner's
    only, and gone once the browser is."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # this test's folders only
    browser = await launch(playwright_instance)
    try:
        context = await browser.new_context()
        await context.tracing.start(snapshots=True)
        page = await context.new_page()
        await page.set_content('<input id="pw" type="password">')
        await page.fill("#pw", "Typed-Secret-42")
        folders = list(tmp_path.glob("portwright-traces-*"))
        assert len(folders) == 1 and stat.S_IMODE(folders[0].stat().st_mode) == 0o700
        assert any(folders[0].iterdir()), "the live recording is in the traces folder"
        await context.tracing.stop()
        await context.close()
    finally:
        await browser.close()
    assert list(tmp_path.glob("portwright-traces-*")) == []


async def test_a_launch_cancelled_while_chromium_starts_leaves_no_traces_folder(
        playwright_instance: Playwright, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C (or a service cancelling its task) while the browser starts: the private
    traces folder was removed only when the launch failed, and stayed behind in /tmp."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # this test's folders only
    task = asyncio.create_task(launch(playwright_instance))
    while not list(tmp_path.glob("portwright-traces-*")) and not task.done():
        await asyncio.sleep(0)  # until the launch has made its folder and awaits Chromium
    assert not task.done(), "the launch finished before it could be cancelled"
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert list(tmp_path.glob("portwright-traces-*")) == []
