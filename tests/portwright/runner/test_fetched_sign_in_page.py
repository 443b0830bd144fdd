"""A document a flow fetches itself (``request``, then ``extract html:``) that the portal
answered with its sign-in page, because the session ended, is reported as the ended
session (``SessionExpired``, which PortalAuth recovers from), not as "selector not found"
in the fetched HTML. Real Chromium, real sandbox portal."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser

from portwright.auth.credentials import CredentialStore, EnvironmentSource
from portwright.exceptions import SelectorNotFound, SessionExpired
from portwright.runner.engine import Engine
from portwright.settings import load_settings
from portwright_valant.sandbox.auth.accounts import account
from portwright_valant.sandbox.auth.sessions import end_all_sessions
from portwright_valant.sandbox.config import SandboxConfig
from portwright_valant.sandbox.server import SandboxServer
from portwright_valant.testing import SandboxHandle

pytestmark = [pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[3]
BOUND_S = 60


@pytest.fixture(scope="module")
def portal() -> Iterator[SandboxHandle]:
    """A portal of its own: the test ends every session on it."""
    server = SandboxServer(SandboxConfig(patients=5)).start()
    yield SandboxHandle(server=server, mailbox=None)
    server.stop()


def _engine(browser: Browser, handle: SandboxHandle, tmp: Path) -> Engine:
    dev = account("devadmin")
    env = {"PORTWRIGHT_SECRET_VALANT_DEVADMIN_USERNAME": dev.username,
           "PORTWRIGHT_SECRET_VALANT_DEVADMIN_PASSWORD": dev.password or ""}
    settings = load_settings(flows=ROOT / "flows", selectors=ROOT / "selectors",
                             state=tmp / "state", artifacts=tmp / "artifacts")
    return Engine(settings, browser=browser, trace="off",
                  secrets=CredentialStore([EnvironmentSource(env)]),
                  portal_urls={"valant": handle.url})


def _patient_id(handle: SandboxHandle) -> Any:
    return handle.query("SELECT id FROM patients ORDER BY id LIMIT 1")[0]["id"]


async def test_a_fetched_sign_in_page_is_the_ended_session(
    browser: Browser, portal: SandboxHandle, tmp_path: Path,
) -> None:
    engine = _engine(browser, portal, tmp_path)
    patient_id = _patient_id(portal)
    try:
        await engine.run("valant.login", account="devadmin")
        # the summary reads fetched tabs: fine while the session lasts
        read = await engine.run("valant.patients.chart",
                                {"patient_id": patient_id, "summary": True},
                                account="devadmin")
        assert read.outputs["record"]["patient_id"] == str(patient_id)
        end_all_sessions(portal.app.state.auth, "revoked")
        with pytest.raises(SessionExpired) as info:
            await asyncio.wait_for(
                engine.run("valant.patients.chart",
                           {"patient_id": patient_id, "summary": True},
                           account="devadmin"),
                BOUND_S)
    finally:
        await engine.close()
    error = info.value
    assert not isinstance(error, SelectorNotFound)
    text = str(error)
    assert "valant.patients.chart" in text and "demographics-summary" in text
    assert "sign-in page" in text and "/login" in text
    assert "PortalAuth" in text  # the hint: how to recover
    assert str(patient_id) not in text  # the redirect's ?next=/patients/<id> is not shown
    assert (error.flow, error.step) == ("valant.patients.chart", "demographics-summary")
    assert error.name == "chart.banner" and error.url is not None
    assert error.acted is False  # the reading step did nothing on the portal
