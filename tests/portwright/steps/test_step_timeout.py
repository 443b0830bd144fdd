"""A step's own ``timeout_ms`` bounds everything the step waits for: the action, the read
of an attribute or text, and the selector classification that explains a failure.

The engine here has a default step timeout of two minutes. If any part of a failing step
fell back to that default instead of the step's 500 ms, the test would run into
pytest-timeout's limit below and fail; no wall-clock duration is asserted.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import Browser

from portwright.engine import Engine
from portwright.exceptions import SelectorNotFound
from portwright.flow.loader import load_flow_text
from portwright.settings import load_settings
from portwright.testing.pages_server import PagesServer

pytestmark = pytest.mark.browser

GO_HOME = '  - {action: goto, url: "{{ portal.base_url }}/"}\n'

FAILING_STEPS = {
    "click": "{action: click, target: home.missing, timeout_ms: 500}",
    "extract a field": "{action: extract, into: x, timeout_ms: 500, fields: {n: card.nickname}}",
    "extract an attribute": "{action: extract, into: x, timeout_ms: 500, "
                            "fields: {n: {target: home.missing, attr: id}}}",
    "extract within a target": "{action: extract, into: x, target: home.missing, "
                               "timeout_ms: 500, fields: {n: {attr: id}}}",
    "wait for": "{action: wait_for, target: home.missing, timeout_ms: 500}",
}


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def patient_engine(browser: Browser, toy_workspace: Path, toy_server: PagesServer
                         ) -> AsyncIterator[Engine]:
    settings = load_settings(toy_workspace, step_timeout_ms=120_000)
    engine = Engine(settings, browser=browser, portal_urls={"toy": toy_server.url})
    yield engine
    await engine.close()


@pytest.mark.timeout(60)
@pytest.mark.parametrize("step", list(FAILING_STEPS.values()), ids=list(FAILING_STEPS))
async def test_a_failing_step_is_bounded_by_its_own_timeout(patient_engine: Engine,
                                                             step: str) -> None:
    flow = load_flow_text(f"flow: toy.case\nsteps:\n{GO_HOME}  - {step}\n", "case.yaml")
    with pytest.raises(SelectorNotFound) as info:
        await patient_engine.run(flow)
    assert "within 500 ms" in str(info.value)
    artifacts: Any = info.value.artifacts  # type: ignore[attr-defined]
    log_file = next(p for p in artifacts if p.name == "steps.jsonl")
    failed = [json.loads(line) for line in log_file.read_text().splitlines()][-1]
    assert failed["status"] == "failed" and failed["timeout_ms"] == 500
