"""A ``call`` of a flow that does not exist fails at the call step (file:line), with the
close names rather than every flow of the portal."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser

from portwright.engine import Engine
from portwright.exceptions import FlowDefinitionError, FlowInputError, StepError
from portwright.runner.execute import _retriable
from portwright.runner.nested_calls import CallTooDeep
from portwright.settings import load_settings

pytestmark = pytest.mark.browser

CALLER = """flow: toy.caller
steps:
  - {action: goto, url: "{{ portal.base_url }}/"}
  - action: call
    flow: toy.nmaes
"""


async def test_an_unknown_called_flow_is_named_at_its_call_step(
        browser: Browser, ws: Path, toy_site: Any) -> None:
    for i in range(12):  # a portal with many flows: the error must not list them all
        (ws / "flows" / "toy" / f"extra{i}.yaml").write_text(
            f"flow: toy.extra_{i}\nsteps: []\n")
    (ws / "flows" / "toy" / "caller.yaml").write_text(CALLER)
    engine = Engine(load_settings(ws), browser=browser, portal_urls={"toy": toy_site.url})
    try:
        with pytest.raises(FlowDefinitionError) as info:
            await engine.run("toy.caller")
    finally:
        await engine.close()
    text = str(info.value)
    assert text.startswith(f"{ws / 'flows' / 'toy' / 'caller.yaml'}:4:5: calls unknown flow "
                           "'toy.nmaes' (field 'steps[1].flow'); expected a flow of the "
                           "workspace; did you mean 'toy.names'")
    assert "toy.extra_1" not in text


LOOP = """flow: toy.loop
steps:
  - action: call
    flow: toy.loop
    retries: 2
"""


async def test_a_retried_call_in_a_cycle_fails_once_without_retrying_at_every_level(
        browser: Browser, ws: Path, toy_site: Any) -> None:
    """Nesting too deep is the flow's own mistake: a retry cannot mend it. Retried at
    each of the 16 levels it would make 3**16 attempts."""
    (ws / "flows" / "toy" / "loop.yaml").write_text(LOOP)
    engine = Engine(load_settings(ws), browser=browser, portal_urls={"toy": toy_site.url})
    try:
        with pytest.raises(CallTooDeep):
            await asyncio.wait_for(engine.run("toy.loop"), timeout=60)
    finally:
        await engine.close()


def test_flow_mistakes_are_neither_retried_nor_recovered() -> None:
    assert not _retriable(CallTooDeep("too deep", flow="toy.loop"))
    assert FlowInputError("x", flow="toy.f", field="a").flow_mistake
    assert FlowDefinitionError("bad").flow_mistake
    assert not StepError("timed out", flow="toy.f").flow_mistake
