"""A URL the portal redirected to is shown in an error with the run's input values as
their placeholders, as a URL the flow built is.

A flow opens ``/patients/{{ inputs.mrn }}`` or ``/find?mrn={{ inputs.mrn }}``; the portal
answers with a page of its own, ``/patients/MRN-0042/summary``. Errors named the page the
browser was on with the MRN in its path: no template of the flow's matched the portal's
URL, and only queries were cut. Now every URL an error shows passes one rule
(``shown_url``): an input value in its path is shown as ``{{ inputs.<name> }}``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote

import pytest
import pytest_asyncio
from playwright.async_api import Browser

from portwright.engine import Engine
from portwright.exceptions import PortwrightError, SelectorNotFound, StepError
from portwright.flow.loader import load_flow_text
from portwright.settings import load_settings
from portwright.testing.pages_server import PageRequest, PagesServer, Reply

MRN = "MRN-0042"
NAME = "Quentin Marchbanks"
HEAD = '<html><head><meta name="app-version" content="4.2"></head><body>'
SUMMARY = HEAD + "<h1>Summary</h1></body></html>"

MAP = """portal: chart
version: "4.0"
detect:
  - {meta: app-version, matches: "^4\\\\."}
pages:
  chart: {path: /, public: true}
selectors:
  chart.missing: [{css: "#nowhere"}]
"""


def _find(req: PageRequest) -> Reply:
    """The portal's search: straight to the record it found, under its own URL."""
    name = f"/{quote(req.query['name'])}" if "name" in req.query else ""
    return Reply("", 302, headers={"Location": f"/patients/{req.query['mrn']}/summary{name}"})


ROUTES: dict[str, Any] = {
    "/find": _find,
    f"/patients/{MRN}": Reply("", 302, headers={"Location": f"/patients/{MRN}/summary"}),
    f"/patients/{MRN}/summary": SUMMARY,
    f"/patients/{MRN}/summary/{quote(NAME)}": SUMMARY,
    f"/records/{MRN}": Reply("", 302, headers={"Location": f"/patients/{MRN}/archived"}),
    f"/patients/{MRN}/archived": Reply(HEAD + "<h1>Gone</h1></body></html>", 404),
}

INPUTS = """inputs:
  mrn: {type: string}
  name: {type: string, required: false}
"""


@pytest.fixture(scope="module")
def portal() -> Iterator[PagesServer]:
    with PagesServer(ROUTES) as server:
        yield server


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def engine(browser: Browser, portal: PagesServer,
                 tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Engine]:
    root = tmp_path_factory.mktemp("redirects")
    (root / "portwright.toml").write_text('artifacts = "out/artifacts"\n')
    (root / "selectors" / "chart").mkdir(parents=True)
    (root / "selectors" / "chart" / "4.0.yaml").write_text(MAP)
    (root / "flows" / "chart").mkdir(parents=True)
    settings = load_settings(root, step_timeout_ms=3000)
    engine = Engine(settings, browser=browser, trace="off", portal_urls={"chart": portal.url})
    yield engine
    await engine.close()


async def _failure(engine: Engine, steps: str, inputs: dict[str, str]) -> PortwrightError:
    flow = load_flow_text(f"flow: chart.case\n{INPUTS}steps:\n{steps}", "case.yaml")
    with pytest.raises(PortwrightError) as info:
        await engine.run(flow, inputs)
    return info.value


LOOK_UP = "  - {action: click, target: chart.missing, timeout_ms: 300}\n"


@pytest.mark.browser
@pytest.mark.parametrize("opened", ["/patients/{{ inputs.mrn }}",
                                    "/find?mrn={{ inputs.mrn }}"])
async def test_a_page_the_portal_redirected_to_is_named_with_the_inputs_placeholder(
        engine: Engine, portal: PagesServer, opened: str) -> None:
    err = await _failure(engine, f'  - {{action: goto, url: "{{{{ portal.base_url }}}}{opened}"}}\n'
                         + LOOK_UP, {"mrn": MRN})
    assert isinstance(err, SelectorNotFound)
    assert f"on {portal.url}/patients/{{{{ inputs.mrn }}}}/summary;" in str(err)
    assert err.url == f"{portal.url}/patients/{{{{ inputs.mrn }}}}/summary"
    assert "0042" not in str(err)


@pytest.mark.browser
async def test_an_encoded_input_in_a_redirected_path_is_shown_as_its_placeholder(
        engine: Engine, portal: PagesServer) -> None:
    err = await _failure(
        engine, '  - {action: goto, url: "{{ portal.base_url }}/find?mrn={{ inputs.mrn }}'
                '&name={{ inputs.name | urlencode }}"}\n' + LOOK_UP,
        {"mrn": MRN, "name": NAME})
    assert (f"on {portal.url}/patients/{{{{ inputs.mrn }}}}/summary/{{{{ inputs.name }}}};"
            in str(err))
    assert "Quentin" not in str(err) and "Marchbanks" not in str(err)


@pytest.mark.browser
async def test_a_goto_redirected_to_an_error_page_names_where_it_landed_by_placeholder(
        engine: Engine, portal: PagesServer) -> None:
    err = await _failure(
        engine, '  - {action: goto, url: "{{ portal.base_url }}/records/{{ inputs.mrn }}"}\n',
        {"mrn": MRN})
    assert isinstance(err, StepError)
    assert (f"goto {{{{ portal.base_url }}}}/records/{{{{ inputs.mrn }}}} answered HTTP 404 "
            f"(redirected to {portal.url}/patients/{{{{ inputs.mrn }}}}/archived)") in str(err)
    assert "0042" not in str(err)


@pytest.mark.browser
async def test_a_request_redirected_to_a_failing_page_names_it_by_placeholder(
        engine: Engine, portal: PagesServer) -> None:
    """A ``request`` step follows the redirect too; its "answered 404" names the URL the
    portal answered from, which the flow never wrote."""
    err = await _failure(
        engine, '  - {action: request, url: "{{ portal.base_url }}/records/{{ inputs.mrn }}"}\n',
        {"mrn": MRN})
    assert isinstance(err, StepError)
    assert f"GET {portal.url}/patients/{{{{ inputs.mrn }}}}/archived answered 404" in str(err)
    assert "0042" not in str(err)


@pytest.mark.browser
async def test_a_redirect_inside_a_block_of_the_flow_is_named_by_placeholder_too(
        engine: Engine, portal: PagesServer) -> None:
    """The steps of an ``if`` run inside the flow's own: the inputs are still the ones
    shown by placeholder, set up once for the flow."""
    err = await _failure(
        engine, '  - action: if\n    condition: "inputs.mrn"\n    then:\n'
                '      - {action: goto, url: "{{ portal.base_url }}/records/{{ inputs.mrn }}"}\n',
        {"mrn": MRN})
    assert isinstance(err, StepError)
    assert f"(redirected to {portal.url}/patients/{{{{ inputs.mrn }}}}/archived)" in str(err)
    assert "0042" not in str(err)
