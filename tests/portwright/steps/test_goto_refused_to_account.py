"""A ``goto`` the portal answers 401 or 403 says the page was refused to the account.

Such an answer is most often not a wrong URL but a role that may not open the page: the
Valant sandbox's biller cannot open the booking form. The hint used to speak only of the
URL and ``expect_status``, so the person hunted for a typo in the flow. Now it says the
portal refused the page to the account the run signed in as, names that account (a
name, never its password), and points at running with an account whose role can open
it, keeping the ``expect_status`` advice.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser

from portwright.engine import Engine
from portwright.exceptions import StepError
from portwright.flow.loader import load_flow_text
from portwright.settings import load_settings
from portwright.templating import EnvSecretResolver
from portwright.testing.pages_server import PagesServer, Reply
from portwright_valant.sandbox.config import SandboxConfig
from portwright_valant.sandbox.server import SandboxServer

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[3]  # the repository: Valant's flows and maps
BILLER_PASSWORD = "Valant-Bill-2025!"  # the sandbox's seeded biller (docs/sandbox-auth.md)

BOOKING = {
    "patient_id": "1", "provider_id": "1", "location_id": "1", "appointment_type": "x",
    "service_codes": ["99214"], "diagnosis_codes": ["F32.9"],
    "start_time": "2027-06-01T15:00:00Z", "end_time": "2027-06-01T16:00:00Z",
}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    server = SandboxServer(SandboxConfig(patients=3)).start()
    yield server
    server.stop()


@pytest_asyncio.fixture(loop_scope="session")
async def valant_engine(browser: Browser, sandbox: SandboxServer, tmp_path: Path
                        ) -> AsyncIterator[Engine]:
    settings = load_settings(ROOT, artifacts=tmp_path / "artifacts",
                             state=tmp_path / "state", step_timeout_ms=6000)
    secrets = EnvSecretResolver({"PORTWRIGHT_SECRET_VALANT_BILLER_USERNAME": "biller",
                                 "PORTWRIGHT_SECRET_VALANT_BILLER_PASSWORD": BILLER_PASSWORD})
    engine = Engine(settings, browser=browser, trace="off", secrets=secrets,
                    portal_urls={"valant": sandbox.url})
    yield engine
    await engine.close()


async def test_the_sandbox_biller_opening_the_booking_form_is_told_its_role_may_not(
        valant_engine: Engine) -> None:
    with pytest.raises(StepError) as info:
        await valant_engine.run("valant.appointments.create", BOOKING, account="biller")
    err = info.value
    assert "answered HTTP 403" in str(err)
    hint = err.hint or ""
    assert "the portal refused this page to account 'biller'" in hint
    assert "run with an account whose role can open it (--account NAME)" in hint
    assert "expect_status: [403]" in hint  # the advice for a page refused on purpose
    assert BILLER_PASSWORD not in str(err)


# -- a small portal: a page that wants a sign-in, one for another role -------------------

HEAD = '<html><head><meta name="app-version" content="1.0.3"></head><body>'
ROUTES = {
    "/sign-in-first": Reply(HEAD + "<h1>Please sign in</h1></body></html>", 401),
    "/admin": Reply(HEAD + "<h1>Forbidden</h1></body></html>", 403),
    "/settings": Reply("", 302, headers={"Location": "/admin"}),
    "/gone": Reply(HEAD + "<h1>Not found</h1></body></html>", 404),
}


@pytest.fixture(scope="module")
def refusing_server() -> Iterator[PagesServer]:
    with PagesServer(ROUTES) as server:
        yield server


@pytest_asyncio.fixture(loop_scope="session")
async def engine(browser: Browser, toy_workspace: Path, refusing_server: PagesServer,
                 tmp_path: Path) -> AsyncIterator[Engine]:
    settings = load_settings(toy_workspace, artifacts=tmp_path / "artifacts",
                             step_timeout_ms=4000)
    engine = Engine(settings, browser=browser, trace="off",
                    portal_urls={"toy": refusing_server.url})
    yield engine
    await engine.close()


def _opening(path: str, extra: str = "") -> str:
    return (f"flow: toy.case\nsteps:\n  - action: goto\n"
            f'    url: "{{{{ portal.base_url }}}}{path}"\n{extra}')


async def test_a_401_names_the_default_account_when_the_run_gave_none(engine: Engine) -> None:
    with pytest.raises(StepError) as info:
        await engine.run(load_flow_text(_opening("/sign-in-first"), "case.yaml"))
    hint = info.value.hint or ""
    assert "answered HTTP 401" in str(info.value)
    assert "refused this page to the default account (no --account given)" in hint
    assert "expect_status: [401]" in hint


async def test_a_403_after_a_redirect_names_the_account_and_the_page_it_landed_on(
        engine: Engine, refusing_server: PagesServer) -> None:
    with pytest.raises(StepError) as info:
        await engine.run(load_flow_text(_opening("/settings"), "case.yaml"),
                         account="front-desk")
    assert (f"goto {{{{ portal.base_url }}}}/settings answered HTTP 403 (redirected to "
            f"{refusing_server.url}/admin)") in str(info.value)
    assert "refused this page to account 'front-desk'" in (info.value.hint or "")


async def test_a_refusal_the_step_declares_otherwise_keeps_the_expect_status_advice(
        engine: Engine) -> None:
    flow = _opening("/admin", "    expect_status: [404]\n")
    with pytest.raises(StepError) as info:
        await engine.run(load_flow_text(flow, "case.yaml"), account="front-desk")
    hint = info.value.hint or ""
    assert "refused this page to account 'front-desk'" in hint
    assert "another status than the step declares (expect_status)" in hint


async def test_a_404_still_points_at_the_url_not_at_the_account(engine: Engine) -> None:
    with pytest.raises(StepError) as info:
        await engine.run(load_flow_text(_opening("/gone"), "case.yaml"), account="front-desk")
    hint = info.value.hint or ""
    assert hint.startswith("check the URL the flow opens")
    assert "account" not in hint
