"""A kept trace blanks the fields the portal's adapter declares secret or PHI in its
scrub policy, not only the credential names :data:`SECRET_FIELD` knows: a value typed
into such a field is absent from every file of ``trace.zip`` (the request that sent it,
the action log that typed it, the DOM snapshots that show it)."""

from __future__ import annotations

import json
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext

from portwright.engine import Engine
from portwright.exceptions import RecordingError
from portwright.runner.trace_scrub import SECRET_FIELD, scrub_trace
from portwright.settings import load_settings
from portwright.testing.pages_server import PageRequest, PagesServer, Reply

#: typed into ``pin_phrase``, which only the adapter's policy declares secret
PHRASE = "Opal-Harbor-4417"
#: typed into ``note``, which no policy names: it stays readable
NOTE = "Bring-lab-results"

POLICY = """version: 1
fields:
  pin_phrase: secret
"""

FORM = """<html><head><meta name="app-version" content="1.0"></head><body>
<form method="post" action="/unlock">
<input name="pin_phrase" id="pin_phrase" aria-label="PIN phrase">
<input name="note" id="note" aria-label="Note">
<button>Unlock</button></form></body></html>"""

DONE = """<html><head><meta name="app-version" content="1.0"></head><body>
<h1 id="done">Unlocked</h1></body></html>"""

MAP = """portal: pinbank
version: "1.0"
detect:
  - {meta: app-version, matches: "^1\\\\."}
pages:
  home: {path: /, public: true}
selectors:
  unlock.phrase: [{css: "#pin_phrase"}]
  unlock.note: [{css: "#note"}]
  unlock.submit: [{role: button, name: "Unlock"}]
  unlock.done: [{css: "#done"}]
"""

FLOW = """flow: pinbank.unlock
inputs:
  phrase: {type: string}
  note: {type: string}
steps:
  - {action: goto, url: "{{ portal.base_url }}/"}
  - {action: fill, target: unlock.phrase, value: "{{ inputs.phrase }}"}
  - {action: fill, target: unlock.note, value: "{{ inputs.note }}"}
  - {action: click, target: unlock.submit}
  - {action: wait_for, target: unlock.done}
"""


def _install_adapter(site: Path, policy: str, package: str) -> None:
    """A distribution registering ``package`` as the adapter ``pinbank``, its
    ``scrub_policy.yaml`` beside it, found by ``importlib.metadata`` on ``site``."""
    (site / package).mkdir(parents=True)
    (site / package / "__init__.py").write_text(
        "from portwright.adapter import Adapter\n\n\n"
        "class PinbankAdapter(Adapter):\n    name = 'pinbank'\n")
    (site / package / "scrub_policy.yaml").write_text(policy)
    info = site / f"{package}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {package}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        f"[portwright.adapters]\npinbank = {package}:PinbankAdapter\n")


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
              ) -> Iterator[Callable[[str], None]]:
    """``installed(policy)`` installs the adapter for this test only (its module is
    forgotten afterwards, so the next test's package is imported from its own site)."""
    packages: list[str] = []

    def install(policy: str) -> None:
        package = f"pw_pinbank_{len(packages)}"
        _install_adapter(tmp_path / f"site{len(packages)}", policy, package)
        monkeypatch.syspath_prepend(str(tmp_path / f"site{len(packages)}"))
        packages.append(package)

    yield install
    for package in packages:
        sys.modules.pop(package, None)


@pytest.fixture
def pinbank(installed: Callable[[str], None]) -> Iterator[PagesServer]:
    """The adapter with its policy, and its portal's two pages."""
    installed(POLICY)

    def unlock(req: PageRequest) -> Reply:
        return Reply(DONE)

    with PagesServer({"/": FORM, "/unlock": unlock}) as server:
        yield server


def _members(trace: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(trace) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _workspace(tmp_path: Path) -> Path:
    """The pinbank workspace: its unlock flow and map, artifacts under ``out``."""
    root = tmp_path / "ws"
    (root / "flows" / "pinbank").mkdir(parents=True)
    (root / "flows" / "pinbank" / "unlock.yaml").write_text(FLOW)
    (root / "selectors" / "pinbank").mkdir(parents=True)
    (root / "selectors" / "pinbank" / "1.0.yaml").write_text(MAP)
    (root / "portwright.toml").write_text('artifacts = "out"\n')
    return root


async def test_a_traced_run_blanks_what_the_adapter_s_policy_declares_secret(
        browser: Browser, tmp_path: Path, pinbank: PagesServer) -> None:
    assert not SECRET_FIELD.search("pin_phrase")   # only the policy names it
    root = _workspace(tmp_path)
    # as `portwright run --trace` has it: the whole run, DOM snapshots included
    engine = Engine(load_settings(root), browser=browser, trace="on", trace_snapshots=True,
                    portal_urls={"pinbank": pinbank.url})
    try:
        result = await engine.run("pinbank.unlock", {"phrase": PHRASE, "note": NOTE})
    finally:
        await engine.close()
    assert pinbank.requests[-1].form() == {"pin_phrase": PHRASE, "note": NOTE}
    traces = [p for p in result.artifacts if p.name == "trace.zip"]
    assert len(traces) == 1
    members = _members(traces[0])
    assert [name for name, data in members.items() if PHRASE.encode() in data] == []
    assert any(NOTE.encode() in data for data in members.values())


async def test_a_trace_typed_without_a_request_loses_the_value_too(
        context: BrowserContext, tmp_path: Path, pinbank: PagesServer) -> None:
    """Typed but never sent (the run failed before submitting): the action log and the
    snapshots alone hold the value, and are blanked by the field's name."""
    trace = tmp_path / "trace.zip"
    await context.tracing.start(snapshots=True)
    page = await context.new_page()
    await page.goto(pinbank.url + "/")
    await page.get_by_label("PIN phrase").fill(PHRASE)
    await page.locator("#note").fill(NOTE)
    await context.tracing.stop(path=trace)
    scrub_trace(trace, [], portal="pinbank")
    members = _members(trace)
    assert [name for name, data in members.items() if PHRASE.encode() in data] == []
    assert any(NOTE.encode() in data for data in members.values())


def test_a_policy_that_does_not_load_leaves_no_unscrubbed_trace(
        tmp_path: Path, installed: Callable[[str], None]) -> None:
    installed("fields: [not, a, mapping]\n")
    trace = tmp_path / "trace.zip"
    with zipfile.ZipFile(trace, "w") as archive:
        archive.writestr("trace.trace", f'{{"params":{{"value":"{PHRASE}"}}}}\n')
    with pytest.raises(RecordingError, match=r"scrub_policy\.yaml: invalid scrub policy"):
        scrub_trace(trace, [], portal="pinbank")
    assert not trace.exists()


def test_a_value_found_under_a_secret_name_is_blanked_as_a_whole_token_only(
        tmp_path: Path) -> None:
    """A code sent as ``code=123456`` is blanked where the action log repeats it, but not
    inside a longer number: the trace's own timings must stay valid JSON for the viewer."""
    entry = {"snapshot": {"request": {"url": "http://portal/mfa", "headers": [],
                                      "postData": {"mimeType": "application/x-www-form-"
                                                   "urlencoded", "text": "code=123456",
                                                   "params": [{"name": "code",
                                                               "value": "123456"}]}},
                          "response": {"headers": []}}}
    log = {"type": "log", "callId": "c1", "time": 4123456.75, "message": 'fill("123456")'}
    trace = tmp_path / "trace.zip"
    with zipfile.ZipFile(trace, "w") as archive:
        archive.writestr("trace.network", json.dumps(entry) + "\n")
        archive.writestr("trace.trace", json.dumps(log) + "\n")
    scrub_trace(trace, [])
    members = _members(trace)
    network = json.loads(members["trace.network"])["snapshot"]["request"]["postData"]
    assert network["params"] == [{"name": "code", "value": "***"}]
    assert json.loads(members["trace.trace"]) == {**log, "message": 'fill("***")'}


def test_a_harvested_number_is_blanked_in_strings_and_the_trace_stays_json(
        tmp_path: Path) -> None:
    """A code ``123456`` that equals the integer part of a timestamp (``123456.75``) or a
    body size: the log lines keep their numbers and stay JSON (the viewer drops a line it
    cannot parse), while every string that repeats the code loses it."""
    entry = {"snapshot": {"request": {"url": "http://portal/mfa", "headers": [],
                                      "postData": {"mimeType": "application/x-www-form-"
                                                   "urlencoded", "text": "code=123456",
                                                   "params": [{"name": "code",
                                                               "value": "123456"}]}},
                          "response": {"headers": [], "bodySize": 123456},
                          "time": 123456.75}}
    logs = [{"type": "log", "callId": "c1", "time": 123456.75, "message": 'fill("123456")'},
            {"type": "after", "callId": "c1", "endTime": 123456,
             "log": ["typed 123456 into #mfa"]}]
    trace = tmp_path / "trace.zip"
    with zipfile.ZipFile(trace, "w") as archive:
        archive.writestr("trace.network", json.dumps(entry, separators=(",", ":")) + "\n")
        archive.writestr("trace.trace",
                         "\n".join(json.dumps(log, separators=(",", ":")) for log in logs))
    scrub_trace(trace, [])
    members = _members(trace)
    lines = {name: [json.loads(line) for line in data.splitlines() if line.strip()]
             for name, data in members.items()}
    network = lines["trace.network"][0]["snapshot"]
    assert network["time"] == 123456.75 and network["response"]["bodySize"] == 123456
    assert network["request"]["postData"]["params"] == [{"name": "code", "value": "***"}]
    assert lines["trace.trace"] == [
        {**logs[0], "message": 'fill("***")'},
        {**logs[1], "log": ["typed *** into #mfa"]}]


def test_a_trace_that_is_not_a_zip_is_deleted_not_left_as_written(tmp_path: Path) -> None:
    """A damaged trace (Playwright stopped half way) cannot be scrubbed: deleted, with no
    half-written scrubbed copy beside it."""
    trace = tmp_path / "trace.zip"
    trace.write_bytes(b'PK\x03\x04 {"params":{"value":"' + PHRASE.encode() + b'"}}')
    with pytest.raises(zipfile.BadZipFile):
        scrub_trace(trace, [])
    assert list(tmp_path.iterdir()) == []


async def test_a_policy_that_does_not_load_fails_the_traced_run_before_it_browses(
        browser: Browser, tmp_path: Path, installed: Callable[[str], None]) -> None:
    """The fields a trace is scrubbed of are read when the run starts: a broken policy
    stops the run before it sends anything, not after it has typed and submitted."""
    installed("fields: [not, a, mapping]\n")
    root = _workspace(tmp_path)
    with PagesServer({"/": FORM, "/unlock": DONE}) as server:
        engine = Engine(load_settings(root), browser=browser, trace="on",
                        portal_urls={"pinbank": server.url})
        try:
            with pytest.raises(RecordingError, match=r"invalid scrub policy"):
                await engine.run("pinbank.unlock", {"phrase": PHRASE, "note": NOTE})
        finally:
            await engine.close()
        assert server.requests == []
