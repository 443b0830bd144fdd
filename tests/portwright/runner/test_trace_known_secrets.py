"""The run's known secrets (what templates rendered from ``secrets``) leave a kept trace
as whole tokens: an all-digit password or a one-time code is blanked where the run typed
or sent it, never inside the trace's own numbers, so the trace stays JSON the viewer
opens (a line it cannot parse is an event dropped, a broken member a trace that does not
open)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

from portwright.runner.trace_scrub import BLANK, scrub_trace
from portwright.templating import Redactor

#: a one-time code, all digits, as the run typed it
CODE = "123456"
#: a password that ends with the same digits
PASSWORD = "pw123456"


def _variants(*secrets: str) -> list[bytes]:
    """The secrets as the runner hands them to the scrubber: every notation of each."""
    redactor = Redactor()
    for secret in secrets:
        redactor.add(secret)
    return redactor.variants()


def _write(trace: Path, members: dict[str, str]) -> None:
    with zipfile.ZipFile(trace, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)


def _read(trace: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(trace) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _lines(data: bytes) -> list[Any]:
    """Every line of a JSON-lines member, parsed: a line that is not JSON fails here."""
    return [json.loads(line) for line in data.split(b"\n") if line.strip()]


def _jsonl(*events: dict[str, Any]) -> str:
    return "\n".join(json.dumps(event, separators=(",", ":")) for event in events)


def test_an_all_digit_code_is_blanked_as_a_value_and_the_trace_numbers_stay_intact(
        tmp_path: Path) -> None:
    before = {"type": "before", "callId": "c1", "startTime": 4123456.75,
              "method": "fill", "params": {"selector": "#code", "value": CODE}}
    after = {"type": "after", "callId": "c1", "endTime": 123456.5, "wallTime": 1701234567}
    log = {"type": "log", "callId": "c1", "time": 9123456, "message": f'fill("{CODE}")'}
    entry = {"type": "resource-snapshot", "snapshot": {
        "startedDateTime": "2026-12-03T17:01:23.456Z", "time": 1234567.125,
        "request": {"method": "POST", "url": "http://portal/mfa", "headers": [],
                    "postData": {"mimeType": "text/plain", "text": CODE}},
        "response": {"status": 200, "headers": [], "bodySize": 123456}}}
    body = {"verified": True, "code": int(CODE), "expires": 17012345678}
    trace = tmp_path / "trace.zip"
    _write(trace, {"trace.trace": _jsonl(before, after, log),
                   "trace.network": _jsonl(entry),
                   "resources/body.json": json.dumps(body)})

    scrub_trace(trace, _variants(CODE))

    members = _read(trace)
    assert _lines(members["trace.trace"]) == [
        {**before, "params": {"selector": "#code", "value": BLANK}},
        after,
        {**log, "message": f'fill("{BLANK}")'}]
    (network,) = _lines(members["trace.network"])
    snapshot = network["snapshot"]
    assert snapshot["time"] == 1234567.125 and snapshot["response"]["bodySize"] == 123456
    assert snapshot["request"]["postData"]["text"] == BLANK
    # a response body is data: the code as a number is blanked, longer numbers stay
    assert json.loads(members["resources/body.json"]) == {
        "verified": True, "code": BLANK, "expires": 17012345678}


def test_a_password_is_blanked_whole_in_every_notation_and_place(tmp_path: Path) -> None:
    """The redaction stays complete for a password that is a whole string value, a part
    of a larger string (a call log, a URL inside a URL, an HTML page) or JSON-escaped."""
    before = {"type": "before", "callId": "c2", "startTime": 5123456.25, "method": "fill",
              "params": {"selector": "#password", "value": PASSWORD}}
    log = {"type": "log", "callId": "c2", "time": 5123456.5,
           "message": f'fill("{PASSWORD}") on #password'}
    goto = {"type": "before", "callId": "c3", "startTime": 5123457.0, "method": "goto",
            "params": {"url": "http://portal/sso?next=%2Flogin%3Fpassword%3D" + PASSWORD}}
    snapshot = {"type": "frame-snapshot", "snapshot": {"html": [
        "INPUT", {"type": "password", "__playwright_value_": PASSWORD}]}}
    page = f'<p>Your password is {PASSWORD}.</p><script>var p = "{PASSWORD}";</script>'
    nested = json.dumps({"form": json.dumps({"password": PASSWORD})})
    trace = tmp_path / "trace.zip"
    _write(trace, {"trace.trace": _jsonl(before, log, goto, snapshot),
                   "resources/page.html": page,
                   "resources/nested.json": nested})

    scrub_trace(trace, _variants(PASSWORD))

    members = _read(trace)
    assert [name for name, data in members.items() if PASSWORD.encode() in data] == []
    events = _lines(members["trace.trace"])
    assert events[0]["params"]["value"] == BLANK
    assert events[0]["startTime"] == 5123456.25 and events[1]["time"] == 5123456.5
    assert events[1]["message"] == f'fill("{BLANK}") on #password'
    assert events[2]["params"]["url"] == \
        "http://portal/sso?next=%2Flogin%3Fpassword%3D" + BLANK
    assert events[3]["snapshot"]["html"][1]["__playwright_value_"] == BLANK
    assert members["resources/page.html"].decode() == (
        f'<p>Your password is {BLANK}.</p><script>var p = "{BLANK}";</script>')
    assert json.loads(json.loads(members["resources/nested.json"])["form"]) == {
        "password": BLANK}


def test_a_code_inside_a_longer_word_or_number_of_a_string_is_left_alone(
        tmp_path: Path) -> None:
    """Only the code as a token of its own is the code: an id or a decimal that contains
    its digits is someone else's data, and is kept as it was."""
    log = {"type": "log", "callId": "c4", "time": 7.5,
           "message": f"order A{CODE} of 0.{CODE} kg, ref {CODE}1, code {CODE}."}
    trace = tmp_path / "trace.zip"
    _write(trace, {"trace.trace": _jsonl(log)})

    scrub_trace(trace, _variants(CODE))

    (event,) = _lines(_read(trace)["trace.trace"])
    assert event["message"] == f"order A{CODE} of 0.{CODE} kg, ref {CODE}1, code {BLANK}."
