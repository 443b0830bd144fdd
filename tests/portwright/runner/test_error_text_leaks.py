"""A failed step's error, as the run shows it (the raised error, its hint, the step log
written as a failure artifact, the CLI's output), never quotes the patient's chart.

A toy chart page shows a planted patient name and MRN, and holds a password field; flows
run through the engine fail on it the ways a step can fail in the browser. Playwright's
own error text quotes the page (an element's markup, what was typed, the URL opened):
each test checks that the planted values are gone and that what failed, and on which
selector or step, is still said.
"""

from __future__ import annotations

import json
import socket
import traceback
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, expect
from typer.testing import CliRunner

from portwright.cli.app import app
from portwright.engine import Engine
from portwright.exceptions import (
    FlowAssertionFailed,
    PortwrightError,
    SelectorNotFound,
    StepError,
    StepTimeout,
)
from portwright.flow.steps.base import StepBase
from portwright.runner.context import RunContext
from portwright.settings import load_settings
from portwright.templating import EnvSecretResolver
from portwright.testing.pages_server import PagesServer, Reply

pytestmark = pytest.mark.browser

NAME = "Quentin Marchbanks"
MRN = "MRN-4471902"
PASSWORD = "pw-S3cr3t-8812"
#: what must never be shown: the name (whole or in part), the MRN's digits, the secret
PLANTED = ("Quentin", "Marchbanks", "4471902", PASSWORD)

CHART = f"""<html><head><meta name="app-version" content="4.2"></head><body>
<h1>Chart</h1>
<div id="banner" title="{MRN}">{NAME}</div>
<input id="note" disabled aria-label="Note for {NAME}" value="{NAME}, {MRN}">
<input id="password" type="password" aria-label="Password" style="display:none">
<button id="reschedule" style="display:none" title="Reschedule {NAME}">{NAME}</button>
</body></html>"""

MAP = """portal: chart
version: "4.0"
detect:
  - {meta: app-version, matches: "^4\\\\."}
pages:
  chart: {path: /, public: true}
selectors:
  chart.banner: [{css: "#banner"}]
  chart.note: [{css: "#note"}]
  chart.password: [{css: "#password"}]
  chart.reschedule: [{css: "#reschedule"}]
  chart.missing: [{css: "#nowhere"}]
  chart.either: [{css: "#banner, #reschedule"}]
"""

_OPEN = '  - {action: goto, url: "{{ portal.base_url }}/"}\n'
FLOWS = {
    "await_reschedule.yaml": "flow: chart.await_reschedule\nsteps:\n" + _OPEN
    + "  - {action: wait_for, id: reschedule-shown, target: chart.reschedule,"
      " timeout_ms: 300}\n",
    "await_banner_gone.yaml": "flow: chart.await_banner_gone\nsteps:\n" + _OPEN
    + "  - {action: wait_for, id: banner-gone, target: chart.banner, state: hidden,"
      " timeout_ms: 300}\n",
    "write_note.yaml": "flow: chart.write_note\ninputs:\n  patient: {type: string}\n"
    "steps:\n" + _OPEN
    + '  - {action: fill, id: note, target: chart.note, value: "{{ inputs.patient }}",'
      " timeout_ms: 300}\n",
    "sign_in.yaml": "flow: chart.sign_in\nsteps:\n" + _OPEN
    + "  - {action: fill, id: password, target: chart.password,"
      ' value: "{{ secrets.chart.password }}", timeout_ms: 300}\n',
    "open_record.yaml": "flow: chart.open_record\ninputs:\n  base: {type: string}\n"
    "  mrn: {type: string}\n  patient: {type: string}\nsteps:\n"
    '  - {action: goto, id: record, url: "{{ inputs.base }}/patients/{{ inputs.mrn }}/'
    '{{ inputs.patient | urlencode }}?tab=summary", timeout_ms: 3000}\n',
    "await_record.yaml": "flow: chart.await_record\ninputs:\n  mrn: {type: string}\n"
    "steps:\n" + _OPEN
    + '  - {action: wait_for, id: record-open, url: "**/patients/{{ inputs.mrn }}",'
      " timeout_ms: 300}\n",
    "fetch_record.yaml": "flow: chart.fetch_record\ninputs:\n  base: {type: string}\n"
    "  mrn: {type: string}\nsteps:\n" + _OPEN
    + '  - {action: request, id: record-api, url: "{{ inputs.base }}/api/patients/'
      '{{ inputs.mrn }}"}\n',
    "fetch_broken_record.yaml": "flow: chart.fetch_broken_record\ninputs:\n"
    "  mrn: {type: string}\nsteps:\n" + _OPEN
    + '  - {action: request, id: broken-api, url: "{{ portal.base_url }}/api/patients/'
      '{{ inputs.mrn }}"}\n',
    "assert_reschedule.yaml": "flow: chart.assert_reschedule\nsteps:\n" + _OPEN
    + "  - {action: assert, id: reschedule-offered, check: visible, target: chart.reschedule,"
      " timeout_ms: 300}\n",
    "click_either.yaml": "flow: chart.click_either\nsteps:\n" + _OPEN
    + "  - {action: click, id: either, target: chart.either, timeout_ms: 300}\n",
    "read_record_banner.yaml": "flow: chart.read_record_banner\ninputs:\n"
    "  mrn: {type: string}\nsteps:\n"
    '  - {action: goto, url: "{{ portal.base_url }}/patients/{{ inputs.mrn }}?tab=summary"}\n'
    "  - {action: click, id: record-banner, target: chart.missing, timeout_ms: 300}\n",
}


@pytest.fixture(scope="module")
def chart_site() -> Iterator[PagesServer]:
    with PagesServer({"/": CHART, f"/api/patients/{MRN}": Reply("down", 500, "text/plain"),
                      f"/patients/{MRN}": CHART}) as server:
        yield server


@pytest.fixture(scope="module")
def chart_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("chartws")
    (root / "portwright.toml").write_text('artifacts = "out/artifacts"\n')
    (root / "selectors" / "chart").mkdir(parents=True)
    (root / "selectors" / "chart" / "4.0.yaml").write_text(MAP)
    (root / "flows" / "chart").mkdir(parents=True)
    for name, text in FLOWS.items():
        (root / "flows" / "chart" / name).write_text(text)
    return root


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def engine(browser: Browser, chart_workspace: Path,
                 chart_site: PagesServer) -> AsyncIterator[Engine]:
    eng = Engine(load_settings(chart_workspace), browser=browser,
                 portal_urls={"chart": chart_site.url},
                 secrets=EnvSecretResolver({"PORTWRIGHT_SECRET_CHART_PASSWORD": PASSWORD}))
    yield eng
    await eng.close()


def _dead_origin() -> str:
    """``http://127.0.0.1:<port>`` of a port nothing listens on once the probe closes."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def _everything_shown(err: PortwrightError) -> str:
    """The error, its hint, the step log it left as a failure artifact, and the error's
    whole traceback as a service's ``log.exception(...)`` prints it: every exception it
    was raised from or while handling (``__cause__``, ``__context__``)."""
    log = next(p for p in err.artifacts  # type: ignore[attr-defined]
               if p.name == "steps.jsonl").read_text()
    failed = [json.loads(line) for line in log.splitlines()][-1]
    assert failed["status"] == "failed" and failed["error"]
    logged = "".join(traceback.format_exception(err))
    return f"{err}\n{getattr(err, 'hint', None)}\n{log}\n{logged}"


def _assert_no_planted_value(text: str) -> None:
    for value in PLANTED:
        assert value not in text, f"{value!r} is shown"


async def test_waiting_for_a_hidden_element_names_it_by_tag_not_by_its_text(
        engine: Engine) -> None:
    with pytest.raises(StepTimeout) as info:
        await engine.run("chart.await_reschedule")
    shown = _everything_shown(info.value)
    _assert_no_planted_value(shown)
    assert "step reschedule-shown" in str(info.value)
    assert 'waiting for locator("#reschedule") to be visible' in str(info.value)
    assert "locator resolved to hidden <button …>" in str(info.value)


async def test_waiting_for_a_shown_element_to_go_names_it_by_tag_not_by_its_text(
        engine: Engine) -> None:
    with pytest.raises(StepTimeout) as info:
        await engine.run("chart.await_banner_gone")
    shown = _everything_shown(info.value)
    _assert_no_planted_value(shown)
    assert 'waiting for locator("#banner").first to be hidden' in str(info.value)
    assert "locator resolved to visible <div …>" in str(info.value)


async def test_typing_into_a_disabled_field_does_not_repeat_what_was_typed(
        engine: Engine) -> None:
    """Playwright's call log quotes the fill ("- fill(<value>)"): a patient's name from
    the run's inputs. The field's own markup holds the chart's value too."""
    with pytest.raises(StepTimeout) as info:
        await engine.run("chart.write_note", {"patient": NAME})
    shown = _everything_shown(info.value)
    _assert_no_planted_value(shown)
    assert "step note" in str(info.value) and "element is not enabled" in str(info.value)
    assert 'waiting for locator("#note")' in str(info.value)


async def test_typing_a_password_into_a_hidden_field_does_not_show_it(
        engine: Engine) -> None:
    with pytest.raises(StepTimeout) as info:
        await engine.run("chart.sign_in")
    shown = _everything_shown(info.value)
    _assert_no_planted_value(shown)
    assert "element is not visible" in str(info.value)
    assert 'waiting for locator("#password")' in str(info.value)


async def test_a_page_that_does_not_open_is_named_by_the_flows_url_not_the_patients(
        engine: Engine) -> None:
    """The URL was rendered from the run's inputs: its path holds the MRN and the name.
    The error shows it as the flow wrote it; the hint names the host nothing answers at."""
    dead = _dead_origin()
    with pytest.raises(StepError) as info:
        await engine.run("chart.open_record", {"base": dead, "mrn": MRN, "patient": NAME})
    shown = _everything_shown(info.value)
    _assert_no_planted_value(shown)
    assert "step record" in str(info.value)
    assert ("net::ERR_CONNECTION_REFUSED at {{ inputs.base }}/patients/{{ inputs.mrn }}/"
            "{{ inputs.patient | urlencode }}?…") in str(info.value)
    assert info.value.hint.startswith(  # type: ignore[attr-defined]
        f"nothing answers at {dead}/: ")


async def test_waiting_for_a_patients_url_shows_the_pattern_as_the_flow_wrote_it(
        engine: Engine) -> None:
    with pytest.raises(StepTimeout) as info:
        await engine.run("chart.await_record", {"mrn": MRN})
    shown = _everything_shown(info.value)
    _assert_no_planted_value(shown)
    assert 'waiting for navigation to "**/patients/{{ inputs.mrn }}"' in str(info.value)


async def test_a_request_to_a_patients_path_shows_the_path_as_the_flow_wrote_it(
        engine: Engine) -> None:
    dead = _dead_origin()
    with pytest.raises(StepError) as info:
        await engine.run("chart.fetch_record", {"base": dead, "mrn": MRN})
    shown = _everything_shown(info.value)
    _assert_no_planted_value(shown)
    assert "step record-api" in str(info.value)
    assert "→ GET {{ inputs.base }}/api/patients/{{ inputs.mrn }}" in str(info.value)


async def test_an_expectation_a_step_leaves_uncaught_fails_without_the_aria_snapshot(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """A handler that lets Playwright's ``expect`` fail through (the ``assert`` step turns
    its failures into messages of its own; another handler may not): the assertion's
    text appends an aria snapshot of the page, the name and the field values in it."""
    from portwright.runner import execute

    async def expect_shown(step: StepBase, run: RunContext) -> None:
        await expect(run.page.locator("#reschedule")).to_be_visible(timeout=300)

    chosen = execute.handler_for
    monkeypatch.setattr(execute, "handler_for", lambda step: expect_shown
                        if step.action == "wait_for" else chosen(step))
    with pytest.raises(StepError) as info:
        await engine.run("chart.await_reschedule")
    shown = _everything_shown(info.value)
    _assert_no_planted_value(shown)
    assert "Aria snapshot" not in shown
    assert "step reschedule-shown: assertion failed: Locator expected to be visible" in str(
        info.value)
    assert 'Expect "to_be_visible" locator("#reschedule")' in str(info.value)


def test_the_cli_prints_the_failed_wait_without_the_patients_name(
        chart_workspace: Path, chart_site: PagesServer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(chart_workspace)
    result = CliRunner().invoke(app, ["run", "chart.await_reschedule", "--portal-url",
                                      chart_site.url])
    assert result.exit_code == 1
    _assert_no_planted_value(result.output)
    assert 'waiting for locator("#reschedule") to be visible' in result.output
    assert "locator resolved to hidden <button …>" in result.output


async def test_a_request_the_portal_refuses_names_the_path_as_the_flow_wrote_it(
        engine: Engine) -> None:
    with pytest.raises(StepError) as info:
        await engine.run("chart.fetch_broken_record", {"mrn": MRN})
    shown = _everything_shown(info.value)
    _assert_no_planted_value(shown)
    assert "/api/patients/{{ inputs.mrn }} answered 500" in str(info.value)


async def test_a_name_missing_on_a_patients_page_names_the_page_as_the_flow_wrote_it(
        engine: Engine, chart_site: PagesServer) -> None:
    with pytest.raises(SelectorNotFound) as info:
        await engine.run("chart.read_record_banner", {"mrn": MRN})
    shown = _everything_shown(info.value)
    _assert_no_planted_value(shown)
    assert f"'chart.missing' (map 4.0) on {chart_site.url}/patients/{{{{ inputs.mrn }}}}?…" \
        in str(info.value)
    assert info.value.url == f"{chart_site.url}/patients/{{{{ inputs.mrn }}}}?…"


async def test_a_failed_assertion_logged_with_its_traceback_shows_no_chart(
        engine: Engine) -> None:
    """A service logs a failed run with ``log.exception``: the traceback prints every
    exception the error was raised from. Playwright's expectation failure quotes the
    element's markup (the patient's name in its title and text)."""
    with pytest.raises(FlowAssertionFailed) as info:
        await engine.run("chart.assert_reschedule")
    shown = _everything_shown(info.value)
    _assert_no_planted_value(shown)
    assert "assertion failed: 'chart.reschedule' is not visible" in str(info.value)


async def test_an_ambiguous_name_logged_with_its_traceback_shows_no_chart(
        engine: Engine) -> None:
    """Playwright's strict-mode error lists every element the selector matched, with its
    text: the step's error says what matched by count, and so must its traceback."""
    with pytest.raises(PortwrightError) as info:
        await engine.run("chart.click_either")
    shown = _everything_shown(info.value)
    _assert_no_planted_value(shown)
    assert "chart.either" in str(info.value)
