"""The portal-upload tests' sandbox (each UI version in turn) and an engine signed in as
the dev account, shared by the upload tests and the lost-answer probes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser

from portwright.runner.engine import Engine
from portwright.settings import load_settings
from portwright.templating import EnvSecretResolver, env_var_name
from portwright_valant.testing import DEV_ACCOUNT, SandboxHandle


@pytest.fixture(params=["2025.4", "2026.1"])
def portal(request: pytest.FixtureRequest) -> SandboxHandle:
    handle: SandboxHandle = request.getfixturevalue(
        "sandbox_2025" if request.param == "2025.4" else "sandbox_2026")
    return handle


@pytest_asyncio.fixture(loop_scope="session")
async def engine(browser: Browser, portal: SandboxHandle, tmp_path: Path
                 ) -> AsyncIterator[Engine]:
    username, password = DEV_ACCOUNT
    resolver = EnvSecretResolver({env_var_name("valant", "username"): username,
                                  env_var_name("valant", "password"): password})
    eng = Engine(load_settings(state=tmp_path / "state", artifacts=tmp_path / "artifacts"),
                 browser=browser, secrets=resolver, portal_urls={"valant": portal.url})
    yield eng
    await eng.close()
