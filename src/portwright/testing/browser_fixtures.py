"""Browser fixtures: one real Chromium per test session, a fresh context per test.

Launching a browser costs ~0.6 s, a context a few milliseconds: sharing the browser
keeps a suite of hundreds of browser tests fast without sharing any state between them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from playwright.async_api import Browser, BrowserContext, Playwright, async_playwright

from portwright.browser import launch
from portwright.exceptions import ConfigError
from portwright.settings import Settings
from portwright.testing.workspace import settings_near


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def playwright_instance() -> AsyncIterator[Playwright]:
    """The session's Playwright driver."""
    async with async_playwright() as pw:
        yield pw


def _browser_settings(session: pytest.Session) -> Settings:
    """The settings of the workspace around the test files that use the browser (the
    standard suite's rule, :mod:`portwright.testing.workspace`), not around pytest's root
    folder, which is another folder when the tests live in a sub-project.

    The browser is one per session: tests of workspaces that name different browsers
    (or ``headless``) cannot share it, and are refused rather than given either one.
    """
    users = [item for item in session.items if "browser" in getattr(item, "fixturenames", ())]
    folders = sorted({item.path.parent for item in users or session.items})
    by_folder = [settings_near(folder) for folder in folders] or \
        [settings_near(session.config.rootpath)]
    choices = {(s.browser, s.headless): s for s in by_folder}
    if len(choices) > 1:
        shown = "; ".join(f"{s.root}: browser {s.browser or '(discovered)'}, headless "
                          f"{s.headless}" for s in choices.values())
        raise ConfigError(
            f"the tests of this run share one browser but their workspaces set it "
            f"differently ({shown})",
            hint="run each workspace's tests in a pytest run of its own",
        )
    return next(iter(choices.values()))


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def browser(playwright_instance: Playwright, request: pytest.FixtureRequest
                  ) -> AsyncIterator[Browser]:
    """The discovered Chromium, launched once for the whole test session.

    It follows the settings of the workspace around the test files (``browser``,
    ``headless``; ``PORTWRIGHT_*`` over the workspace file), as a run of the CLI there
    would: tests must drive the browser the workspace names, not another one.
    """
    settings = _browser_settings(request.session)
    b = await launch(playwright_instance, headless=settings.headless,
                     override=settings.browser, origin=settings.origin("browser"))
    yield b
    await b.close()


@pytest_asyncio.fixture(loop_scope="session")
async def context(browser: Browser) -> AsyncIterator[BrowserContext]:
    """A fresh, isolated browser context for one test."""
    ctx = await browser.new_context()
    yield ctx
    await ctx.close()
