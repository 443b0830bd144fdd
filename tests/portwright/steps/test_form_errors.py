"""The engine's ``form_errors`` step, against a small clinic form in real Chromium.

The form re-renders itself with the portal's messages when it refuses a visit: a summary
list at the top (repeating the field messages and adding a form-level one) and one
message element per field, the ones of valid fields left empty or hidden, as real forms
do. Any adapter can read them with only its selector map, so a flow never needs another
adapter (Valant) installed to record a validation error.
"""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser

from portwright.engine import Engine
from portwright.exceptions import PortalValidationError, StepError
from portwright.flow.loader import load_flow_text
from portwright.settings import load_settings
from portwright.testing.pages_server import PageRequest, PagesServer, Reply

pytestmark = pytest.mark.browser

HEAD = '<html><head><meta name="app-version" content="1.0.3"></head><body>'
BOOKED_SLOT = "09:00"


def _form(summary: list[str], errors: dict[str, str]) -> str:
    """The booking form; ``errors`` maps a field to its message (none: left empty)."""
    items = "".join(f"<li>{html.escape(m)}</li>" for m in summary)
    return HEAD + f"""
<ul class="summary">{items}</ul>
<form action="/visit" method="post">
  <label>Reason <input name="reason"></label>
  <span class="field-error" id="error-reason">{html.escape(errors.get("reason", ""))}</span>
  <label>Start <input name="start"></label>
  <span class="field-error" id="error-start">{html.escape(errors.get("start", ""))}</span>
  <span class="field-error" id="error-notes" hidden>Notes are too long</span>
  <button type="submit">Book</button>
</form></body></html>"""


def visit(req: PageRequest) -> Reply:
    """GET: the empty form. POST: booked, or the form again with the clinic's messages
    (reason ``crash`` is the portal's own failure: a bare error page)."""
    if req.method == "GET":
        return Reply(_form([], {}))
    form = req.form()
    reason, start = form.get("reason", ""), form.get("start", "")
    if reason == "crash":
        return Reply("<html><body><p>Internal Server Error</p></body></html>", 500)
    errors = {}
    if not reason:
        errors["reason"] = "Reason is required"
    summary = list(errors.values())
    if start == BOOKED_SLOT:
        summary.append("That slot is already booked")
    if summary:
        return Reply(_form(summary, errors), 422)
    return Reply(HEAD + '<h1 id="booked">Booked</h1></body></html>')


MAP = """portal: toy
version: "1.0"
detect:
  - {meta: app-version, matches: "^1\\\\."}
selectors:
  visit.reason: [{label: "Reason"}]
  visit.start: [{label: "Start"}]
  visit.book: [{role: button, name: "Book"}]
  visit.field_error: {strategies: [{css: ".field-error"}], all: true}
  visit.problem: {strategies: [{css: "ul.summary li"}], all: true}
  visit.booked: [{css: "#booked"}]
"""

FLOW = """flow: toy.visits.book
mutates: true
inputs:
  reason: {type: string}
  start: {type: string}
outputs:
  title: {value: saved.title}
steps:
  - {action: goto, url: "{{ portal.base_url }}/visit"}
  - {action: fill, target: visit.reason, value: "{{ inputs.reason }}"}
  - {action: fill, target: visit.start, value: "{{ inputs.start }}"}
  - {action: click, target: visit.book}
  - {action: wait_for, idle: load}
  - action: form_errors
    errors: visit.field_error
    summary: visit.problem
    field_attrs: [id]
    field_prefix: "error-"
    message: "the clinic refused the visit"
    expect: visit.booked
  - {action: extract, into: saved, fields: {title: visit.booked}}
"""


@pytest.fixture(scope="module")
def clinic() -> Iterator[PagesServer]:
    with PagesServer({"/visit": visit}) as server:
        yield server


@pytest.fixture(scope="module")
def clinic_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("clinicws")
    (root / "portwright.toml").write_text('flows = "flows"\n')
    (root / "selectors" / "toy").mkdir(parents=True)
    (root / "selectors" / "toy" / "1.0.yaml").write_text(MAP)
    (root / "flows" / "toy").mkdir(parents=True)
    (root / "flows" / "toy" / "visits.book.yaml").write_text(FLOW)
    return root


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def clinic_engine(browser: Browser, clinic_workspace: Path, clinic: PagesServer
                        ) -> AsyncIterator[Engine]:
    settings = load_settings(clinic_workspace, step_timeout_ms=10_000)
    engine = Engine(settings, browser=browser, portal_urls={"toy": clinic.url})
    yield engine
    await engine.close()


async def test_the_portals_messages_become_a_portal_validation_error(
        clinic_engine: Engine) -> None:
    flow = load_flow_text(FLOW, "visits.book.yaml")
    with pytest.raises(PortalValidationError) as caught:
        await clinic_engine.run(flow, {"reason": "", "start": BOOKED_SLOT})
    # the form-level message once (the summary's copy of the field message is left out),
    # then each shown field message under its field; the hidden one is no message
    assert caught.value.messages == ["That slot is already booked",
                                     "reason: Reason is required"]
    assert "toy.visits.book: the clinic refused the visit" in str(caught.value)


async def test_a_form_level_message_alone_is_refused_too(clinic_engine: Engine) -> None:
    flow = load_flow_text(FLOW, "visits.book.yaml")
    with pytest.raises(PortalValidationError) as caught:
        await clinic_engine.run(flow, {"reason": "checkup", "start": BOOKED_SLOT})
    assert caught.value.messages == ["That slot is already booked"]


async def test_no_message_lets_the_flow_go_on(clinic_engine: Engine,
                                              clinic: PagesServer) -> None:
    before = len(clinic.requests)
    flow = load_flow_text(FLOW, "visits.book.yaml")
    result = await clinic_engine.run(flow, {"reason": "checkup", "start": "10:30"})
    assert result.outputs == {"title": "Booked"}
    posts = [r.form() for r in clinic.requests[before:] if r.method == "POST"]
    assert posts == [{"reason": "checkup", "start": "10:30"}]


@pytest.mark.timeout(60)
async def test_an_error_page_fails_the_step_at_once(clinic_engine: Engine) -> None:
    # neither messages nor the booked page: told at once, not after the 10 s step timeout
    flow = load_flow_text(FLOW, "visits.book.yaml")
    with pytest.raises(StepError) as caught:
        await clinic_engine.run(flow, {"reason": "crash", "start": "10:30"})
    assert not isinstance(caught.value, PortalValidationError)
    assert "neither field messages nor 'visit.booked'" in str(caught.value)


#: run first in the interpreter: hides portwright-valant's entry points, as on a machine
#: where only the toy adapter is installed
HIDE_VALANT = """import importlib.metadata as metadata

_installed = metadata.entry_points


def entry_points(**params):
    found = _installed(**params)
    if "group" not in params:
        return found
    return metadata.EntryPoints(
        ep for ep in found if ep.dist is None or ep.dist.name != "portwright-valant")


metadata.entry_points = entry_points
"""

TOY_ADAPTER = """from portwright.adapter import Adapter


class ToyAdapter(Adapter):
    name = "toy"
"""


def test_a_toy_adapters_flow_using_it_validates_without_valant_installed(
        clinic_workspace: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "pw_toy").mkdir(parents=True)
    (site / "pw_toy" / "__init__.py").write_text(TOY_ADAPTER)
    info = site / "pw_toy-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: pw-toy\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[portwright.adapters]\ntoy = pw_toy:ToyAdapter\n")
    (site / "sitecustomize.py").write_text(HIDE_VALANT)
    env = {**os.environ, "PYTHONPATH": str(site), "COLUMNS": "300",
           "PORTWRIGHT_ROOT": str(clinic_workspace)}
    exe = Path(sys.executable).parent / "portwright"
    adapters = subprocess.run(
        [sys.executable, "-c", "import json; from portwright.adapter import "
         "available_adapters; print(json.dumps(sorted(available_adapters())))"],
        capture_output=True, text=True, env=env, cwd=clinic_workspace, timeout=120)
    assert json.loads(adapters.stdout) == ["toy"], adapters.stderr
    out = subprocess.run([str(exe), "validate"], capture_output=True, text=True, env=env,
                         cwd=clinic_workspace, stdin=subprocess.DEVNULL, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "2 file(s) valid" in out.stdout
