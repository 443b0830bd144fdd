"""Record the tiny portal with real Chromium, scrub, and replay offline to the same output."""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
from typing import Any

import pytest
from playwright.async_api import Browser, Error

from portwright.recording.har_replay import HarReplay
from portwright.recording.scrub import Scrubber, ScrubPolicy

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
async def recorded(browser: Browser, tiny_portal: Any, tiny_flow: Any, tiny_policy: ScrubPolicy,
                   tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One live run, recorded to a HAR, and its scrubbed HAR and golden output."""
    raw_har = tmp_path_factory.mktemp("raw") / "flow.har"
    context = await browser.new_context(record_har_path=str(raw_har), record_har_content="embed")
    page = await context.new_page()
    live = await tiny_flow(page, tiny_portal.url, tiny_portal.password)
    await context.close()
    har = json.loads(raw_har.read_text())
    scrubber = Scrubber(tiny_policy)
    scrubber.learn_har(har)
    scrubber.learn_json(live)
    return {"live": live, "raw_har": har, "har": scrubber.scrub_har(har),
            "golden": scrubber.scrub_json(live)}


async def test_live_run_reads_the_portal(recorded: dict[str, Any], tiny_portal: Any) -> None:
    live, patient = recorded["live"], tiny_portal.patient
    assert (live["firstName"], live["lastName"]) == (patient["firstName"], patient["lastName"])
    assert live["dateOfBirth"] == patient["dateOfBirth"]
    assert live["visits"] == ["visit 1", "visit 2"]


async def test_scrubbed_har_and_golden_hold_no_phi_or_secret(
        recorded: dict[str, Any], tiny_portal: Any) -> None:
    text = json.dumps(recorded["har"]) + json.dumps(recorded["golden"])
    raw = json.dumps(recorded["raw_har"])
    sessions = set(re.findall(r"sid=([0-9a-f]{40})", raw))
    csrf = set(re.findall(r'name=\\"csrf_token\\" value=\\"([0-9a-f]{32})', raw))
    assert sessions and csrf  # the raw recording did hold them
    for real in [*tiny_portal.patient.values(), "04/09/1961", "241-7788", tiny_portal.password,
                 "frontdesk", *sessions, *csrf]:
        assert real not in text, real
    # the stateful answer and non-PHI text survive scrubbing
    assert "visit 2" in text and "May 12, 2026" in text


async def test_pseudonyms_are_consistent_between_har_and_golden(recorded: dict[str, Any]
                                                                 ) -> None:
    golden, har = recorded["golden"], json.dumps(recorded["har"])
    assert f"{golden['lastName']}, {golden['firstName']}" in har
    month_day_year = "/".join([golden["dateOfBirth"][5:7], golden["dateOfBirth"][8:10],
                               golden["dateOfBirth"][:4]])
    assert month_day_year in har  # the HTML's US notation of the same fake date
    assert golden["email"] in har and golden["mrn"] in har and golden["phone"] in har


async def test_replay_is_offline_and_reproduces_the_scrubbed_golden(
        browser: Browser, tiny_portal: Any, tiny_flow: Any, tiny_policy: ScrubPolicy,
        recorded: dict[str, Any]) -> None:
    hits_before = len(tiny_portal.hits)
    replay = HarReplay.from_har(recorded["har"], tiny_policy)
    context = await browser.new_context(service_workers="block")
    await replay.attach(context)
    page = await context.new_page()
    try:
        # another password: the login POST is matched with its secrets normalized, and the
        # fresh CSRF token of the live page is a placeholder in the recording
        output = await tiny_flow(page, tiny_portal.url, "not-the-password")
    finally:
        await context.close()
    assert output == recorded["golden"]
    assert output["visits"] == ["visit 1", "visit 2"]  # same request, answers in order
    assert output["firstName"] != recorded["live"]["firstName"]
    assert replay.misses == []
    assert len(tiny_portal.hits) == hits_before  # the live portal saw nothing


async def test_request_not_in_recording_is_aborted_and_nothing_leaves(
        browser: Browser, tiny_portal: Any, tiny_policy: ScrubPolicy,
        recorded: dict[str, Any]) -> None:
    hits_before = len(tiny_portal.hits)
    replay = HarReplay.from_har(recorded["har"], tiny_policy)
    context = await browser.new_context()
    await replay.attach(context)
    page = await context.new_page()
    try:
        with pytest.raises(Error):
            await page.goto(f"{tiny_portal.url}/not-recorded")
        with pytest.raises(Error):
            await page.goto("http://example.invalid/elsewhere")
    finally:
        await context.close()
    assert replay.misses == [f"GET {tiny_portal.url}/not-recorded",
                             "GET http://example.invalid/elsewhere"]
    assert len(tiny_portal.hits) == hits_before


class _Listener:
    """A TCP port that counts the connections it accepts and closes each at once (so a
    browser's WebSocket that did reach it fails fast instead of waiting)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.sock.getsockname()[1]
        self.accepted = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                conn, _ = self.sock.accept()
                self.accepted += 1
                conn.close()

    def close(self) -> None:
        self.sock.close()
        self._thread.join(timeout=5)


async def test_a_websocket_is_closed_before_it_reaches_the_network(
        browser: Browser, tiny_policy: ScrubPolicy, recorded: dict[str, Any]) -> None:
    listener = _Listener()
    replay = HarReplay.from_har(recorded["har"], tiny_policy)
    first_page = next(e["request"]["url"] for e in recorded["har"]["log"]["entries"]
                      if e["request"]["method"] == "GET")
    context = await browser.new_context(service_workers="block")
    await replay.attach(context)
    page = await context.new_page()
    url = f"ws://127.0.0.1:{listener.port}/live-updates"
    try:
        await page.goto(first_page)
        closed = await page.evaluate("""url => new Promise(done => {
            const ws = new WebSocket(url);
            ws.onclose = e => done({code: e.code, opened: ws.readyState});
        })""", url)
    finally:
        await context.close()
        listener.close()
    assert listener.accepted == 0            # nothing left the machine's browser
    assert replay.refused_sockets == [url]
    assert closed["code"] != 1000 and replay.misses == []
