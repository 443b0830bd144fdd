"""Where a run's portal URL comes from (the run, the engine, the stored ``base_url``
secret), and clear errors when it is malformed or missing (not Playwright's "Invalid
URL" from inside a step)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser

from portwright.engine import Engine
from portwright.exceptions import ConfigError
from portwright.settings import load_settings
from portwright.templating import EnvSecretResolver

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("url", ["portal.example", "ftp://portal.example", "https://",
                                 "/dashboard"])
async def test_a_malformed_portal_url_is_refused_before_any_browsing(
        browser: Browser, workspace: Path, url: str) -> None:
    contexts = len(browser.contexts)
    async with Engine(load_settings(workspace), browser=browser,
                      secrets=EnvSecretResolver({})) as engine:
        with pytest.raises(ConfigError, match="not an absolute http\\(s\\) URL") as err:
            await engine.run("toy.names", portal_url=url)
        assert url in str(err.value) and "--portal-url" in str(err.value)
        assert len(browser.contexts) == contexts  # no context was opened


async def test_without_any_url_the_flow_says_which_it_needs(
        browser: Browser, workspace: Path) -> None:
    async with Engine(load_settings(workspace), browser=browser,
                      secrets=EnvSecretResolver({})) as engine:
        with pytest.raises(ConfigError) as err:
            await engine.run("toy.names")
    assert "needs portal.base_url, but no URL was given for portal 'toy'" in str(err.value)
    assert "portwright secrets set toy base_url" in str(err.value)


async def test_the_stored_base_url_is_used_when_none_is_given(
        browser: Browser, workspace: Path, toy_site: Any) -> None:
    seen = len(toy_site.requests)
    stored = EnvSecretResolver({"PORTWRIGHT_SECRET_TOY_BASE_URL": toy_site.url})
    async with Engine(load_settings(workspace), browser=browser, secrets=stored) as engine:
        result = await engine.run("toy.names")
    assert result.outputs == {"names": ["Ann", "Bo"]}
    assert "/" in [r.path for r in toy_site.requests[seen:]]  # (the browser may add a favicon)
