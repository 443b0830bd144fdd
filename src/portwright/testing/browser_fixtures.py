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
from portwright.settings import load_settings


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def playwright_instance() -> AsyncIterator[Playwright]:
    """The session's Playwright driver."""
    async with async_playwright() as pw:
        yield pw


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def browser(playwright_instance: Playwright, pytestconfig: pytest.Config
                  ) -> AsyncIterator[Browser]:
    """The discovered Chromium, launched once for the whole test session.

    It follows the settings of the workspace around pytest's root folder (``browser``,
    ``headless``; ``PORTWRIGHT_*`` over the workspace file), as a run of the CLI there
    would: tests must drive the browser the workspace names, not another one.
    """
    settings = load_settings(pytestconfig.rootpath)
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
