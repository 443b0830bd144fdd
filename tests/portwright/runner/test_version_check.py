"""A session remembers the portal's UI version and confirms it alongside the first action
of each run; when the portal changes version under a live session (a deployment), runs
still act with the right map and never repeat a write.

The two sandboxes serve the two UI versions; one engine session visits both, so its
second run meets a version other than the one it last confirmed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import Browser

from portwright.engine import Engine
from portwright.exceptions import StepError
from portwright.flow.loader import load_flow_text
from portwright.settings import load_settings

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[3]
STEP_TIMEOUT_MS = 20_000

READ_LOGIN_PAGE = f"""flow: valant.test.read_login_page
steps:
  - {{action: goto, url: "{{{{ portal.base_url }}}}/login"}}
  - {{action: fill, id: type-name, target: login.username, value: someone,
     timeout_ms: {STEP_TIMEOUT_MS}}}
  - {{action: assert, check: visible, target: login.submit}}
"""

# the same page, but its first resolved step declares that it writes
WRITING_STEP = READ_LOGIN_PAGE.replace("flow: valant.test.read_login_page",
                                       "flow: valant.test.writing_step").replace(
    "id: type-name,", "id: type-name, mutates: true,")

WRITING_FLOW = READ_LOGIN_PAGE.replace("flow: valant.test.read_login_page",
                                       "flow: valant.test.writing_flow\nmutates: true")


@pytest_asyncio.fixture(loop_scope="session")
async def engine(browser: Browser, tmp_path: Path) -> AsyncIterator[Engine]:
    eng = Engine(load_settings(ROOT, artifacts=tmp_path / "artifacts"), browser=browser,
                 trace="off")
    yield eng
    await eng.close()


def flow(text: str) -> Any:
    return load_flow_text(text, "test.yaml")


async def test_a_run_after_a_version_change_acts_with_the_new_map(
        engine: Engine, sandbox_2025: Any, sandbox_2026: Any) -> None:
    first = await engine.run(flow(READ_LOGIN_PAGE), portal_url=sandbox_2025.url)
    assert first.portal_version == "2025.4"
    second = await engine.run(flow(READ_LOGIN_PAGE), portal_url=sandbox_2026.url)
    assert (second.portal_version, second.selector_map_version) == ("2026.1", "2026.1")
    fill = next(s for s in second.steps if s.id == "type-name")
    assert fill.status == "ok"
    assert "2025.4 -> 2026.1" in (fill.detail or {}).get("ui_version_changed", "")
    # stopped as soon as the page was known to be 2026.1, not after waiting out the
    # timeout on selectors of the 2025.4 map
    assert fill.ms < STEP_TIMEOUT_MS
    # the attempt that counts used the 2026.1 map's strategies
    typed = [r for r in second.resolutions if r.name == "login.username"
             and r.outcome in ("primary", "fallback")][-1]
    assert typed.strategy is not None and "Work email" in typed.strategy
    # the session now knows 2026.1: the next run needs no second attempt
    third = await engine.run(flow(READ_LOGIN_PAGE), portal_url=sandbox_2026.url)
    assert "ui_version_changed" not in (next(
        s for s in third.steps if s.id == "type-name").detail or {})


async def test_a_step_that_writes_is_not_repeated_on_a_version_change(
        engine: Engine, sandbox_2025: Any, sandbox_2026: Any) -> None:
    await engine.run(flow(READ_LOGIN_PAGE), portal_url=sandbox_2025.url)
    with pytest.raises(StepError) as caught:
        await engine.run(flow(WRITING_STEP), portal_url=sandbox_2026.url)
    message = str(caught.value)
    assert "2026.1" in message and "2025.4" in message and "not repeated" in message
    # the session learnt the new version: the same run now goes through
    again = await engine.run(flow(WRITING_STEP), portal_url=sandbox_2026.url)
    assert again.portal_version == "2026.1"


async def test_a_flow_that_writes_detects_before_acting(
        engine: Engine, sandbox_2025: Any, sandbox_2026: Any) -> None:
    await engine.run(flow(READ_LOGIN_PAGE), portal_url=sandbox_2025.url)
    result = await engine.run(flow(WRITING_FLOW), portal_url=sandbox_2026.url)
    assert result.portal_version == "2026.1"
    fill = next(s for s in result.steps if s.id == "type-name")
    assert fill.attempts == 1 and "ui_version_changed" not in (fill.detail or {})


SEE_SUBMIT = f"""flow: valant.test.see_submit
steps:
  - {{action: goto, url: "{{{{ portal.base_url }}}}/login"}}
  - {{action: assert, id: see-submit, check: visible, target: login.submit,
     timeout_ms: {STEP_TIMEOUT_MS}}}
"""


async def test_an_action_waiting_on_the_old_maps_selectors_is_stopped(
        engine: Engine, sandbox_2025: Any, sandbox_2026: Any) -> None:
    """2025.4's submit button (role "Sign in", #login-submit) is not on 2026.1's page:
    the action would wait out its whole timeout. The check stops it instead."""
    await engine.run(flow(SEE_SUBMIT), portal_url=sandbox_2025.url)
    result = await engine.run(flow(SEE_SUBMIT), portal_url=sandbox_2026.url)
    step = next(s for s in result.steps if s.id == "see-submit")
    assert step.status == "ok" and step.attempts == 2
    assert step.ms < STEP_TIMEOUT_MS / 2
    assert result.selector_map_version == "2026.1"
