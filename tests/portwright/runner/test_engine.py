"""The engine: flows by name, typed inputs, subflows, emit through an adapter, results
with provenance, one browser and reused sessions, errors that carry artifacts."""

from __future__ import annotations

import asyncio
import json
import socket
import zipfile
from collections.abc import AsyncIterator, Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import pytest
import pytest_asyncio
from playwright.async_api import Browser
from pydantic import BaseModel

from portwright.adapter import Adapter
from portwright.artifact_privacy import ArtifactPrivacy
from portwright.engine import Engine
from portwright.entities import Patient, validate
from portwright.entities.examples import example
from portwright.exceptions import FlowInputError, SelectorNotFound, StepError
from portwright.settings import load_settings
from portwright.templating import EnvSecretResolver

from .conftest import SESSION_COOKIE

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


async def test_two_runs_asking_at_once_for_a_new_session_share_one_context(
        engine: Engine, browser: Browser) -> None:
    contexts = len(browser.contexts)
    first, second = await asyncio.gather(engine.session("toy", account="both-at-once"),
                                         engine.session("toy", account="both-at-once"))
    try:
        assert first is second
        assert len(browser.contexts) == contexts + 1    # none made and then lost
    finally:
        await engine.drop_session("toy", account="both-at-once")


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


class Born(BaseModel):
    person_id: int
    born: date


async def emit_failure(engine: Engine, person: Callable[[Mapping[str, Any]], Any]) -> str:
    """What ``toy.emit`` fails with when the adapter's ``Person`` normalizer is ``person``."""
    engine._adapters["toy"] = type("Refusing", (Adapter,), {
        "name": "toy", "normalizers": {"Person": person}})()
    try:
        with pytest.raises(StepError) as info:
            await engine.run("toy.emit")
    finally:
        del engine._adapters["toy"]
    return str(info.value)


async def test_a_record_the_entity_refuses_names_fields_and_rules_not_values(
        engine: Engine) -> None:
    message = await emit_failure(engine, lambda rec: Born.model_validate(
        {"person_id": rec["id"], "born": rec["name"]}))
    assert "record 0 is not a valid Person: born: Input should be a valid date" in message
    assert "Ann" not in message     # pydantic's own text would quote the input


async def test_an_entity_validation_error_names_each_field_and_rule_not_values(
        engine: Engine) -> None:
    """The normalizers of real adapters build entities through ``entities.validate``:
    its error must reach the user as fields and rules, not as a bare class name."""
    message = await emit_failure(engine, lambda rec: validate(
        Patient, {**example("Patient"), "dob": f"{rec['name']}-02-30", "mrn": ""}))
    assert "record 0 is not a valid Person: " in message
    assert "dob: " in message and "mrn: " in message
    assert "Ann" not in message and "EntityValidationError" not in message


async def test_failure_artifacts_are_named_and_secrets_scrubbed(engine: Engine) -> None:
    with pytest.raises(SelectorNotFound) as info:
        await engine.run("toy.broken")
    paths = info.value.artifacts  # type: ignore[attr-defined]
    # masked by default: no DOM trace of the page (its markup holds its text)
    assert {p.name for p in paths} == {"failure.png", "steps.jsonl"}
    assert all(p.exists() and str(p) in str(info.value) for p in paths)
    assert all("toy.broken" in str(p) for p in paths)

    with pytest.raises(StepError, match="answered 500") as secret_info:
        await engine.run("toy.secret")
    err = secret_info.value
    assert TOKEN not in str(err)
    log = next(p for p in err.artifacts if p.name == "steps.jsonl")
    assert TOKEN not in log.read_text()
    assert "{{ secrets.toy.token }}" in log.read_text()   # the log shows the template


async def test_step_logs_show_the_flow_not_the_patient_it_was_run_for(
        engine: Engine) -> None:
    """Inputs are PHI as often as not: the step log (a failure artifact) and the error
    name the steps by what the flow wrote, never by the values rendered into them."""
    patient = "Quentin Marchbanks"
    with pytest.raises(SelectorNotFound) as info:
        await engine.run("toy.search", {"patient": patient})
    log = next(p for p in info.value.artifacts  # type: ignore[attr-defined]
               if p.name == "steps.jsonl").read_text()
    rows = [json.loads(line) for line in log.splitlines()]
    assert [(r["action"], r["status"]) for r in rows] == [
        ("goto", "ok"), ("fill", "ok"), ("click", "failed")]
    assert rows[0]["detail"]["url"] == "{{ portal.base_url }}/?q={{ inputs.patient | urlencode }}"
    assert rows[1]["detail"]["value"] == "{{ inputs.patient }}"
    for text in (log, str(info.value)):
        assert "Quentin" not in text and "Marchbanks" not in text


async def test_a_value_a_transform_refuses_is_described_by_its_shape_not_shown(
        engine: Engine) -> None:
    """The page shows names where the flow expects dates: the error says which field and
    what the values look like (the format the portal uses now), not the values."""
    with pytest.raises(StepError) as info:
        await engine.run("toy.born")
    err = info.value
    assert "step read-births" in str(err) and "field 'born' (home.row.name)" in str(err)
    assert "not a date in a known format: shaped 'Aaa'" in str(err)   # "Ann"
    log = next(p for p in err.artifacts if p.name == "steps.jsonl").read_text()  # type: ignore[attr-defined]
    for text in (str(err), log):
        assert "Ann" not in text
    # one element (no rows) is read the same way: a button's label where a count was due
    with pytest.raises(StepError, match=r"step read-count: field 'count' \(home.hello\): not a "
                                        r"whole number: shaped 'Aaaaa'") as single:
        await engine.run("toy.greeting_count")
    assert "Hello" not in str(single.value)


async def test_a_portal_gone_down_fails_in_plain_words_without_the_session_cookie(
        engine: Engine) -> None:
    """Playwright's own error lists the request's headers, the portal's session cookie
    among them; the step error, its log and the CLI must not carry it (nor the search)."""
    with socket.socket() as probe:  # a port nothing listens on once the probe closes
        probe.bind(("127.0.0.1", 0))
        down_url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    with pytest.raises(StepError) as info:
        await engine.run("toy.portal_down", {"down_url": down_url})
    err = info.value
    shown = f"{err}\n{err.hint}"  # type: ignore[attr-defined]
    assert "step search" in shown and "→ GET" in shown   # what failed, and where
    assert f"nothing answers at {down_url.removeprefix('http://')}" in shown
    log = next(p for p in err.artifacts if p.name == "steps.jsonl").read_text()  # type: ignore[attr-defined]
    for text in (shown, log):
        assert SESSION_COOKIE not in text and "cookie" not in text.lower()
        assert "Ann" not in text and "Smith" not in text


async def test_a_kept_trace_shows_the_network_but_not_the_session_cookie(
        browser: Browser, workspace: Path, toy_site: Any) -> None:
    """The portal's own cookie is no rendered secret, yet a full trace's network log
    carries it in Set-Cookie and Cookie headers: blanked there, the entries kept."""
    engine = Engine(load_settings(workspace), browser=browser, trace="on",
                    trace_snapshots=True, portal_urls={"toy": toy_site.url})
    try:
        result = await engine.run("toy.signed_in")   # the portal sets it, then it is sent
    finally:
        await engine.close()
    traces = [p for p in result.artifacts if p.suffix == ".zip"]
    assert len(traces) == 1
    with zipfile.ZipFile(traces[0]) as trace:
        members = {name: trace.read(name) for name in trace.namelist()}
    assert all(SESSION_COOKIE.encode() not in data for data in members.values())
    entries = [json.loads(line)["snapshot"] for name, data in members.items()
               if name.endswith(".network") for line in data.splitlines() if line.strip()]
    def headers(name: str, part: str) -> list[str]:
        return [h["value"] for e in entries for h in e[part]["headers"]
                if h["name"].lower() == name]
    assert {e["request"]["url"] for e in entries} == {toy_site.url + "/signed-in",
                                                      toy_site.url + "/"}
    assert headers("set-cookie", "response") == ["***"]
    assert headers("cookie", "request") == ["***"]


async def test_full_artifact_privacy_adds_the_pages_dom_trace(
        browser: Browser, workspace: Path, toy_site: Any) -> None:
    settings = load_settings(workspace).model_copy(
        update={"artifact_privacy": ArtifactPrivacy.FULL})
    engine = Engine(settings, browser=browser, portal_urls={"toy": toy_site.url})
    try:
        with pytest.raises(SelectorNotFound) as info:
            await engine.run("toy.broken")
    finally:
        await engine.close()
    paths = info.value.artifacts  # type: ignore[attr-defined]
    assert {p.name for p in paths} == {"failure.png", "trace.zip", "steps.jsonl"}
    with zipfile.ZipFile(next(p for p in paths if p.name == "trace.zip")) as trace:
        assert any(b"Clinic" in trace.read(name) for name in trace.namelist())


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
