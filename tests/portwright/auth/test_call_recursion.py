"""A flow that calls itself ends with an error naming its call step; it is not taken for
an expired session (re-login and retry at every level would never end)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser

from portwright.auth.portal_auth import PortalAuth
from portwright.auth.sessions.manager import SessionManager
from portwright.engine import Engine
from portwright.exceptions import StepError
from portwright.settings import load_settings
from portwright.testing.pages_server import PagesServer

pytestmark = pytest.mark.browser

PAGE = '<html><head><meta name="app-version" content="1.0"></head><body>hi</body></html>'
MAP = """portal: toy
version: "1.0"
detect:
  - {meta: app-version, matches: "^1\\\\."}
selectors:
  home.signed_in: [{css: "#signed-in"}]
"""
FLOWS = {
    # the session is never healthy: a recovery would log in again at every failure
    "session.check.yaml": """flow: toy.session.check
outputs:
  healthy: {value: "false"}
steps:
  - {action: goto, url: "{{ portal.base_url }}/"}
""",
    "login.yaml": """flow: toy.login
steps:
  - {action: goto, url: "{{ portal.base_url }}/"}
""",
    "loop.yaml": """flow: toy.loop
steps:
  - {action: goto, url: "{{ portal.base_url }}/"}
  - {action: call, id: again, flow: toy.loop}
""",
}


@pytest.fixture
def site() -> Iterator[PagesServer]:
    with PagesServer({"/": PAGE}) as server:
        yield server


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "selectors" / "toy").mkdir(parents=True)
    (tmp_path / "selectors" / "toy" / "1.0.yaml").write_text(MAP)
    (tmp_path / "flows" / "toy").mkdir(parents=True)
    for name, text in FLOWS.items():
        (tmp_path / "flows" / "toy" / name).write_text(text)
    return tmp_path


async def test_a_flow_calling_itself_fails_at_its_call_step_without_a_relogin(
        browser: Browser, workspace: Path, site: PagesServer) -> None:
    engine = Engine(load_settings(flows=workspace / "flows",
                                  selectors=workspace / "selectors",
                                  state=workspace / "state", artifacts=workspace / "out"),
                    browser=browser, portal_urls={"toy": site.url})
    auth = PortalAuth(engine, manager=SessionManager(workspace / "state"))
    try:
        with pytest.raises(StepError) as info:
            # a bound, not a pause: on failure the run would otherwise never end
            await asyncio.wait_for(engine.run("toy.loop"), timeout=60)
    finally:
        await engine.close()
    text = str(info.value)
    assert "toy.loop step again:" in text
    assert f"{workspace / 'flows' / 'toy' / 'loop.yaml'}:4:5" in text
    assert "nested deeper than 16 calls" in text
    assert auth.recoveries == 0
