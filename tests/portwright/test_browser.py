"""Browser discovery order, and a real launch of the discovered browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser

from portwright.browser import SYSTEM_CHROMIUM, discover_browser
from portwright.exceptions import ConfigError


def test_env_override_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "my-chrome"
    fake.write_text("")
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
