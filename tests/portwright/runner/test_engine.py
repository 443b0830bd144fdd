"""The engine: flows by name, typed inputs, subflows, emit through an adapter, results
with provenance, one browser and reused sessions, errors that carry artifacts."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

import pytest
import pytest_asyncio
from playwright.async_api import Browser

from portwright.adapter import Adapter
from portwright.engine import Engine
from portwright.exceptions import FlowInputError, SelectorNotFound, StepError
from portwright.settings import load_settings
from portwright.templating import EnvSecretResolver

pytestmark = pytest.mark.browser

TOKEN = "tok-5eCr3t-771"


@pytest_asyncio.fixture(loop_scope="session")
async def engine(browser: Browser, workspace: Path, toy_site: Any) -> AsyncIterator[Engine]:
    eng = Engine(load_settings(workspace), browser=browser,
                 portal_urls={"toy": toy_site.url},
                 secrets=EnvSecretResolver({"PORTWRIGHT_SECRET_TOY_TOKEN": TOKEN}))
    yield eng
    await eng.close()


async def test_run_by_name_with_provenance_and_timings(engine: Engine) -> None:
    result = await engine.run("toy.names", {"limit": "5"})
    assert result.outputs == {"names": ["Ann", "Bo"]}
    assert (result.flow, result.flow_version, result.portal) == ("toy.names", 2, "toy")
    assert (result.portal_version, result.selector_map_version) == ("4.0", "4.0")
    assert [s.action for s in result.steps] == ["goto", "extract"]
    assert all(s.ms >= 0 for s in result.steps) and result.ms >= sum(s.ms for s in
                                                                     result.steps) * 0.5
    assert [(r.name, r.outcome) for r in result.resolutions] == [
        ("home.row", "primary"), ("home.row.name", "primary")]
    assert json.loads(result.to_json())["outputs"] == {"names": ["Ann", "Bo"]}


async def test_subflow_outputs_come_back(engine: Engine) -> None:
    result = await engine.run("toy.outer")
    assert result.outputs == {"first": "Ann"}
    assert [s.flow for s in result.steps] == ["toy.outer", "toy.names", "toy.names"]


async def test_bad_inputs_are_refused_before_any_browsing(engine: Engine) -> None:
    with pytest.raises(FlowInputError, match="input 'limit'"):
        await engine.run("toy.names", {"limit": "many"})


async def test_one_context_per_session_reused_across_runs(engine: Engine) -> None:
    await engine.run("toy.names")
    first = await engine.session("toy")
    await engine.run("toy.names")
    assert await engine.session("toy") is first
    other = await engine.session("toy", account="night-shift")
    assert other.context is not first.context
    await engine.drop_session("toy", account="night-shift")


class PersonAdapter(Adapter):
    name: ClassVar[str] = "toy"
    normalizers: ClassVar[Mapping[str, Any]] = {
        "Person": lambda rec: {"personId": f"p-{rec['id']}", "displayName": rec["name"]}}


async def test_emit_turns_records_into_entities_through_the_adapter(engine: Engine) -> None:
    engine._adapters["toy"] = PersonAdapter()  # an adapter instance, as load_adapter gives
    try:
        result = await engine.run("toy.emit")
    finally:
        del engine._adapters["toy"]
    assert result.outputs == {"Person": [{"personId": "p-1", "displayName": "Ann"},
                                         {"personId": "p-2", "displayName": "Bo"}]}


async def test_emit_without_a_normalizer_fails_clearly(engine: Engine) -> None:
    engine._adapters["toy"] = type("Bare", (Adapter,), {"name": "toy"})()
    try:
        with pytest.raises(StepError, match="cannot emit Person: adapter 'toy' has no "
                                            "normalizer for entity 'Person'"):
            await engine.run("toy.emit")
    finally:
        del engine._adapters["toy"]


async def test_failure_artifacts_are_named_and_secrets_scrubbed(engine: Engine) -> None:
    with pytest.raises(SelectorNotFound) as info:
        await engine.run("toy.broken")
    paths = info.value.artifacts  # type: ignore[attr-defined]
    assert {p.name for p in paths} == {"failure.png", "trace.zip", "steps.jsonl"}
    assert all(p.exists() and str(p) in str(info.value) for p in paths)
    assert all("toy.broken" in str(p) for p in paths)

    with pytest.raises(StepError, match="answered 500") as secret_info:
        await engine.run("toy.secret")
    err = secret_info.value
    assert TOKEN not in str(err)
    log = next(p for p in err.artifacts if p.name == "steps.jsonl")
    assert TOKEN not in log.read_text()
    assert "{{ secrets.toy.token }}" in log.read_text()   # the log shows the template


async def test_engines_of_one_process_share_one_browser(workspace: Path) -> None:
    first, second = Engine(load_settings(workspace)), Engine(load_settings(workspace))
    browser = await first.start()
    try:
        assert await second.start() is browser
        await first.close()
        assert browser.is_connected()          # still used by the second engine
    finally:
        await second.close()
    assert not browser.is_connected()          # the last user closed it
