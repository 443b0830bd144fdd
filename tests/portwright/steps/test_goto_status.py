"""``goto`` fails when the portal answers the page with an error (HTTP 4xx/5xx).

It used to open the error page and go on: a flow that then read a list found no rows
and passed, exit 0, for a patient list that was never shown. Now the step fails, naming
the status and the URL as the flow wrote it (the rendered one may carry an MRN), unless
the step declares the status (``expect_status``). A failing answer that passes is
retried like any failed step (``retries``); a redirect to another page that loads (a
session expired → the login page) is not an error.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Route

from portwright.engine import Engine, RunResult
from portwright.exceptions import PortalError, StepError
from portwright.flow.loader import load_flow_text
from portwright.settings import load_settings
from portwright.testing.pages_server import PageRequest, PagesServer, Reply
from portwright_valant.sandbox.config import SandboxConfig
from portwright_valant.sandbox.server import SandboxServer

pytestmark = pytest.mark.browser

HEAD = '<html><head><meta name="app-version" content="1.0.3"></head><body>'
MRN = "MRN-5550192"
ROW = '<tr><td class="name">Person 01</td><td class="score">3</td></tr>'

_FAILED_ONCE: set[str] = set()


def _once_broken(req: PageRequest) -> Reply:
    """A 502 page the first time for each ``key``, then the list (a passing outage)."""
    key = req.query.get("key", "")
    if key not in _FAILED_ONCE:
        _FAILED_ONCE.add(key)
        return Reply(HEAD + "<h1>Bad gateway</h1></body></html>", 502)
    return Reply(HEAD + f'<table id="people"><tbody>{ROW}</tbody></table></body></html>')


ROUTES: dict[str, Any] = {
    "/list": Reply(HEAD + f'<table id="people"><tbody>{ROW}</tbody></table></body></html>'),
    # an error page that still looks like a page: an empty list, a heading
    f"/patients/{MRN}/list": Reply(HEAD + '<h1 id="title">Not found</h1>'
                                   '<table id="people"><tbody></tbody></table></body></html>',
                                   404),
    "/broken": Reply(HEAD + '<h1 id="title">Internal error</h1></body></html>', 500),
    "/once-broken": _once_broken,
    "/private": Reply("", 302, headers={"Location": "/login"}),
    "/login": Reply(HEAD + '<h1 id="title">Sign in</h1></body></html>'),
}

PATIENT_LIST = """inputs:
  mrn: {type: string, required: true}
outputs:
  people: {value: people}
"""
READ_LIST = ("  - {action: extract, into: people, rows: people.row, "
             "fields: {name: people.row.name}}\n")


@pytest.fixture(scope="module")
def status_server() -> Iterator[PagesServer]:
    with PagesServer(ROUTES) as server:
        yield server


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def engine(browser: Browser, toy_workspace: Path, status_server: PagesServer
                 ) -> AsyncIterator[Engine]:
    settings = load_settings(toy_workspace, step_timeout_ms=4000)
    engine = Engine(settings, browser=browser, portal_urls={"toy": status_server.url})
    yield engine
    await engine.close()


async def _run(engine: Engine, steps: str, inputs: dict[str, Any] | None = None,
               header: str = "") -> RunResult:
    flow = load_flow_text(f"flow: toy.case\n{header}steps:\n{steps}", "case.yaml")
    return await engine.run(flow, inputs)


async def test_a_goto_answered_404_fails_naming_status_and_url_as_written(
        engine: Engine) -> None:
    steps = ('  - {action: goto, url: "{{ portal.base_url }}/patients/{{ inputs.mrn }}/list"}\n'
             + READ_LIST)
    with pytest.raises(StepError) as info:
        await _run(engine, steps, {"mrn": MRN}, header=PATIENT_LIST)
    err = info.value
    text = str(err)
    assert "answered HTTP 404" in text
    assert "{{ portal.base_url }}/patients/{{ inputs.mrn }}/list" in text
    assert MRN not in text
    assert err.step is not None and "goto" in err.step
    assert "expect_status: [404]" in text  # the way to say it is meant


async def test_a_goto_answered_500_fails_and_is_not_taken_for_a_portal_answer(
        engine: Engine) -> None:
    with pytest.raises(StepError, match="answered HTTP 500") as info:
        await _run(engine, '  - {action: goto, url: "{{ portal.base_url }}/broken"}\n')
    # a StepError, not a PortalError: retries and the sign-in recovery may act on it
    assert not isinstance(info.value, PortalError)


async def test_a_passing_5xx_is_retried_when_the_step_allows_retries(engine: Engine) -> None:
    result = await _run(engine, """  - action: goto
    url: "{{ portal.base_url }}/once-broken?key=step-retries"
    retries: 1
""" + READ_LIST, header="outputs:\n  people: {value: people}\n")
    assert result.steps[0].attempts == 2
    assert result.outputs == {"people": [{"name": "Person 01"}]}


async def test_a_declared_status_is_accepted(engine: Engine) -> None:
    result = await _run(engine, """  - action: goto
    url: "{{ portal.base_url }}/patients/{{ inputs.mrn }}/list"
    expect_status: [404]
  - {action: extract, into: heading, fields: {text: home.title}}
""", {"mrn": MRN}, header="inputs:\n  mrn: {type: string}\n"
                          "outputs:\n  heading: {value: heading.text}\n")
    assert result.outputs == {"heading": "Not found"}


async def test_a_declared_status_refuses_another(engine: Engine) -> None:
    with pytest.raises(StepError, match="answered HTTP 200"):
        await _run(engine, """  - action: goto
    url: "{{ portal.base_url }}/list"
    expect_status: [404]
""")


async def test_a_redirect_to_a_page_that_loads_is_no_error(engine: Engine) -> None:
    """An expired session sends the page to the login (302 → 200): the run goes on
    (there, recovery signs in again)."""
    result = await _run(engine, """  - {action: goto, url: "{{ portal.base_url }}/private"}
  - {action: extract, into: heading, fields: {text: home.title}}
""", header="outputs:\n  heading: {value: heading.text}\n")
    assert result.outputs == {"heading": "Sign in"}


# -- the Valant sandbox's injected faults: a real portal's error pages -------------------

ROOT = Path(__file__).resolve().parents[3]  # the repository: the Valant selector maps


@pytest.fixture(scope="module")
def sandbox_in_maintenance() -> Iterator[SandboxServer]:
    server = SandboxServer(SandboxConfig(patients=3, faults="maintenance=on")).start()
    yield server
    server.stop()


@pytest_asyncio.fixture(loop_scope="session")
async def valant_engine(browser: Browser, sandbox_in_maintenance: SandboxServer,
                        tmp_path: Path) -> AsyncIterator[Engine]:
    settings = load_settings(ROOT, artifacts=tmp_path / "artifacts", step_timeout_ms=4000)
    engine = Engine(settings, browser=browser, trace="off",
                    portal_urls={"valant": sandbox_in_maintenance.url})
    yield engine
    await engine.close()


OPEN_LOGIN = """flow: valant.case
steps:
  - action: goto
    url: "{{ portal.base_url }}/login"
"""


async def test_a_sandbox_in_maintenance_fails_the_goto_clearly(
        valant_engine: Engine, sandbox_in_maintenance: SandboxServer) -> None:
    sandbox_in_maintenance.app.state.faults.set("maintenance=on")
    with pytest.raises(StepError) as info:
        await valant_engine.run(load_flow_text(OPEN_LOGIN, "case.yaml"))
    assert "goto {{ portal.base_url }}/login answered HTTP 503" in str(info.value)


async def test_a_sandbox_fault_that_passes_is_retried(
        valant_engine: Engine, sandbox_in_maintenance: SandboxServer) -> None:
    """The first answer is the maintenance page; the portal is back for the retry."""
    faults = sandbox_in_maintenance.app.state.faults
    faults.set("maintenance=on")
    statuses: list[int] = []

    async def back_after_the_first(route: Route) -> None:
        response = await route.fetch()
        statuses.append(response.status)
        faults.set("")
        await route.fulfill(response=response)

    session = await valant_engine.session("valant")
    await session.context.route("**/login", back_after_the_first)
    try:
        result = await valant_engine.run(
            load_flow_text(OPEN_LOGIN + "    retries: 1\n", "case.yaml"))
    finally:
        await session.context.unroute("**/login", back_after_the_first)
        faults.set("")
    assert statuses == [503, 200]
    assert (result.steps[0].status, result.steps[0].attempts) == ("ok", 2)
