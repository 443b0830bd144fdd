"""A portal session that ends in the middle of a run (an administrator revokes it between
two steps) is reported as what it is, at once: the portal's sign-in page is no drift of
the selector map, and no step should wait out its timeout on it. With PortalAuth the run
signs in again and completes with the right data. Real Chromium, real sandbox portal;
ground truth: the sandbox database."""

from __future__ import annotations

import asyncio
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Route

from portwright.auth.credentials import CredentialStore, EnvironmentSource
from portwright.auth.portal_auth import PortalAuth
from portwright.exceptions import SelectorNotFound, SessionExpired
from portwright.runner.engine import Engine
from portwright.selector_map.resolver import Resolver
from portwright.settings import Settings, load_settings
from portwright_valant.sandbox.auth.accounts import account
from portwright_valant.sandbox.auth.sessions import end_all_sessions
from portwright_valant.sandbox.config import SandboxConfig
from portwright_valant.sandbox.server import SandboxServer
from portwright_valant.testing import SandboxHandle

pytestmark = [pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[3]
#: far above what any step here takes, so "finished before it" means "did not wait it out"
STEP_TIMEOUT_MS = 60_000
#: the test gives up well before one step timeout: the old behaviour fails here
BOUND_S = 40

#: a flow that opens the sign-in page itself, then looks for an element it cannot show:
#: that is the flow's own doing, not the portal ending the session
OPENS_LOGIN = """flow: valant.test.opens_login
version: 1
steps:
  - action: goto
    url: "{{ portal.base_url }}/login"
  - action: click
    target: nav.signed_in
    timeout_ms: 500
"""

#: a step that waits for an element of another tab: the portal signs out while it waits
WAITS_ON_CHART = """flow: valant.test.waits_on_chart
version: 1
inputs:
  patient_id: {type: string}
steps:
  - action: goto
    url: "{{ portal.base_url }}/patients/{{ inputs.patient_id | urlencode }}?tab=demographics"
  - action: extract
    into: banner
    fields: {patient_id: {target: chart.banner, attr: data-id}}
  - action: wait_for
    id: wait-for-portal-status
    target: chart.portal_status
"""


@pytest.fixture(scope="module")
def portal() -> Iterator[SandboxHandle]:
    """A portal of its own: the test ends every session on it."""
    server = SandboxServer(SandboxConfig(patients=20)).start()
    yield SandboxHandle(server=server, mailbox=None)
    server.stop()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's flows and maps, plus the test flows above."""
    root = tmp_path_factory.mktemp("ws")
    shutil.copytree(ROOT / "flows", root / "flows")
    shutil.copytree(ROOT / "selectors", root / "selectors")
    (root / "flows" / "valant" / "test.opens_login.yaml").write_text(OPENS_LOGIN)
    (root / "flows" / "valant" / "test.waits_on_chart.yaml").write_text(WAITS_ON_CHART)
    return root


def _settings(workspace: Path, tmp: Path) -> Settings:
    return load_settings(flows=workspace / "flows", selectors=workspace / "selectors",
                         state=tmp / "state", artifacts=tmp / "artifacts",
                         step_timeout_ms=STEP_TIMEOUT_MS)


def _engine(browser: Browser, handle: SandboxHandle, settings: Settings) -> Engine:
    dev = account("devadmin")
    env = {"PORTWRIGHT_SECRET_VALANT_DEVADMIN_USERNAME": dev.username,
           "PORTWRIGHT_SECRET_VALANT_DEVADMIN_PASSWORD": dev.password or ""}
    return Engine(settings, browser=browser, trace="off",
                  secrets=CredentialStore([EnvironmentSource(env)]),
                  portal_urls={"valant": handle.url})


async def _revoke_before_contacts(engine: Engine, handle: SandboxHandle) -> list[str]:
    """End every session on the portal (as an administrator revoking them would) just
    before the run opens the chart's contacts tab: between two steps. Once."""
    session = await engine.session("valant", "devadmin")
    revoked: list[str] = []

    async def revoke(route: Route) -> None:
        if not revoked:
            revoked.append(route.request.url)
            end_all_sessions(handle.app.state.auth, "revoked")
        await route.continue_()

    await session.context.route(lambda url: "tab=contacts" in url, revoke)
    return revoked


def _patient(handle: SandboxHandle) -> Any:
    rows = handle.query("SELECT id, email, phone FROM patients ORDER BY id LIMIT 1")
    return rows[0]


def _digits(text: str | None) -> str:
    return re.sub(r"\D", "", text or "")


async def test_plain_engine_reports_the_ended_session_without_waiting_out_the_timeout(
    browser: Browser, portal: SandboxHandle, workspace: Path, tmp_path: Path,
) -> None:
    engine = _engine(browser, portal, _settings(workspace, tmp_path))
    try:
        await engine.run("valant.login", account="devadmin")
        revoked = await _revoke_before_contacts(engine, portal)
        patient = _patient(portal)
        started = time.perf_counter()
        with pytest.raises(SessionExpired) as info:
            await asyncio.wait_for(
                engine.run("valant.patients.chart", {"patient_id": patient["id"]},
                           account="devadmin"),
                BOUND_S)
        elapsed_ms = (time.perf_counter() - started) * 1000
    finally:
        await engine.close()
    assert revoked, "the session was not ended mid-run"
    assert elapsed_ms < STEP_TIMEOUT_MS
    error = info.value
    assert not isinstance(error, SelectorNotFound)
    text = str(error)
    assert "valant.patients.chart" in text and "contacts" in text  # the flow and step
    assert "sign-in page" in text and "/login" in text
    assert "PortalAuth" in text and "docs/auth.md" in text          # the hint
    assert "update" not in text  # not "the page may have changed: update the map"
    assert patient["id"] not in text  # the redirect's ?next=/patients/<id> is not shown


async def test_portal_auth_signs_in_again_and_completes_with_the_right_data(
    browser: Browser, portal: SandboxHandle, workspace: Path, tmp_path: Path,
) -> None:
    engine = _engine(browser, portal, _settings(workspace, tmp_path))
    auth = PortalAuth(engine)
    try:
        await auth.ensure("valant", "devadmin")
        revoked = await _revoke_before_contacts(engine, portal)
        patient = _patient(portal)
        result = await asyncio.wait_for(
            auth.run("valant.patients.chart", {"patient_id": patient["id"]},
                     account="devadmin"),
            BOUND_S)
    finally:
        await engine.close()
    assert revoked, "the session was not ended mid-run"
    assert auth.recoveries == 1
    record = result.outputs["record"]
    # read after the new sign-in, from the portal's pages (not left empty)
    assert record["email"] == patient["email"]
    assert _digits(record["phone"]) == _digits(patient["phone"])
    members = {r["member_id"] for r in portal.query(
        "SELECT member_id FROM insurance_policies WHERE patient_id = ?", patient["id"])}
    assert members, "pick a patient with insurance"
    assert {p["member_id"] for p in record["insurance"]} == members


async def test_a_step_waiting_for_an_element_stops_when_the_portal_signs_out(
    browser: Browser, portal: SandboxHandle, workspace: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The session ends while a step waits for its element, and the portal's own script
    takes the page to the sign-in page (as an idle-logout script does)."""
    engine = _engine(browser, portal, _settings(workspace, tmp_path))
    waiting = asyncio.Event()
    looked_up = Resolver.entry

    def entry(self: Resolver, name: str) -> Any:
        found = looked_up(self, name)
        if name == "chart.portal_status":
            waiting.set()  # the step is about to wait for it
        return found

    monkeypatch.setattr(Resolver, "entry", entry)
    patient = _patient(portal)
    try:
        await engine.run("valant.login", account="devadmin")
        page = (await engine.session("valant", "devadmin")).page
        run = asyncio.ensure_future(asyncio.wait_for(
            engine.run("valant.test.waits_on_chart", {"patient_id": patient["id"]},
                       account="devadmin"), BOUND_S))
        await asyncio.wait_for(waiting.wait(), BOUND_S)
        end_all_sessions(portal.app.state.auth, "revoked")
        await page.evaluate("setTimeout(() => location.reload(), 0)")
        started = time.perf_counter()
        with pytest.raises(SessionExpired) as info:
            await run
        elapsed_ms = (time.perf_counter() - started) * 1000
    finally:
        await engine.close()
    assert elapsed_ms < STEP_TIMEOUT_MS
    assert "wait-for-portal-status" in str(info.value)
    assert "chart.portal_status" in str(info.value)


async def test_a_sign_in_page_the_flow_opened_itself_is_no_ended_session(
    browser: Browser, portal: SandboxHandle, workspace: Path, tmp_path: Path,
) -> None:
    engine = _engine(browser, portal, _settings(workspace, tmp_path))
    try:
        with pytest.raises(SelectorNotFound) as info:
            await engine.run("valant.test.opens_login", account="devadmin")
    finally:
        await engine.close()
    assert info.value.name == "nav.signed_in"
