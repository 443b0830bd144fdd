"""Names hidden in base64-of-JSON tokens (a paging cursor that carries its search) are
scrubbed like visible ones, the same way in the response that hands the cursor out and in
the next request that sends it back (so replay still matches), and the audit decodes such
tokens to look inside."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from portwright.recording.audit import audit_file
from portwright.recording.hooks import PlantedValue
from portwright.recording.scrub import BASELINE_POLICY, Scrubber, ScrubPolicy
from portwright.recording.scrub.encoded_json import decode_token, find_tokens

POLICY = BASELINE_POLICY.merged(ScrubPolicy.model_validate({
    "fields": {"first_name": "name", "last_name": "name"},
    "name_pairs": [["first_name", "last_name"]],
}))
FIRST, LAST = "Ngozi", "Okafor"


def _cursor(data: dict[str, Any]) -> str:
    """As the sandbox (and many portals) make them: base64url of JSON, unpadded."""
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


CURSOR = _cursor({"o": 25, "f": f"{LAST}|active|prv_2"})
PLAIN_CURSOR = _cursor({"o": 50, "f": "|active|prv_2"})  # nothing personal inside


def _entry(url: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"request": {"method": "GET", "url": url, "headers": [],
                        "queryString": [{"name": k, "value": v[0]}
                                        for k, v in parse_qs(urlsplit(url).query).items()]},
            "response": {"status": 200, "headers": [],
                         "content": {"mimeType": "application/json", "text": json.dumps(body)}}}


def _har() -> dict[str, Any]:
    base = f"https://portal.test/api/v2/patients?q={LAST}&status=active"
    row = {"patientId": "pat_7", "firstName": FIRST, "lastName": LAST}
    return {"log": {"version": "1.2", "entries": [
        _entry(base, {"items": [row], "nextCursor": CURSOR}),
        _entry(f"{base}&cursor={CURSOR}", {"items": [row], "nextCursor": PLAIN_CURSOR}),
        _entry(f"{base}&cursor={PLAIN_CURSOR}&session=c2Vzc2lvbi0xMjM0NTY3ODk",
               {"items": [], "nextCursor": None}),
    ]}}


def _scrubbed() -> dict[str, Any]:
    scrubber = Scrubber(POLICY)
    har = _har()
    scrubber.learn_har(har)
    return scrubber.scrub_har(har)


def test_a_name_inside_a_cursor_is_scrubbed_and_the_cursor_still_decodes() -> None:
    har = _scrubbed()
    text = json.dumps(har)
    assert LAST not in text and FIRST not in text
    decoded = [token.text for _, token in find_tokens(text)]
    assert decoded and not any(LAST in inner for inner in decoded)

    first = har["log"]["entries"][0]
    handed_out = json.loads(first["response"]["content"]["text"])["nextCursor"]
    pseudonym = json.loads(first["response"]["content"]["text"])["items"][0]["lastName"]
    inside = decode_token(handed_out)
    assert inside is not None
    # the offset and the other filters are kept; the name is the row's own pseudonym
    assert inside.data == {"o": 25, "f": f"{pseudonym}|active|prv_2"}
    assert handed_out == handed_out.rstrip("=") and "+" not in handed_out  # same encoding


def test_the_cursor_sent_back_equals_the_one_handed_out() -> None:
    first, second, _ = _scrubbed()["log"]["entries"]
    handed_out = json.loads(first["response"]["content"]["text"])["nextCursor"]
    sent_back = parse_qs(urlsplit(second["request"]["url"]).query)["cursor"][0]
    assert sent_back == handed_out  # so the replayed page's next request matches
    listed = {q["name"]: q["value"] for q in second["request"]["queryString"]}
    assert listed["cursor"] == handed_out


def test_tokens_with_nothing_to_scrub_and_non_json_tokens_are_left_exactly() -> None:
    *_, third = _scrubbed()["log"]["entries"]
    query = parse_qs(urlsplit(third["request"]["url"]).query)
    assert query["cursor"] == [PLAIN_CURSOR]
    assert query["session"] == ["c2Vzc2lvbi0xMjM0NTY3ODk"]  # base64, but not of JSON


def test_the_audit_finds_a_planted_name_inside_a_cursor(tmp_path: Path) -> None:
    har_path = tmp_path / "flow.har"
    har_path.write_text(json.dumps(_har(), indent=1))
    findings = audit_file(har_path, [PlantedValue("seeded patient name", LAST)])
    inside = [f for f in findings if f.rule.endswith("(in a base64 JSON token)")]
    assert inside, [str(f) for f in findings]
    lines = har_path.read_text().splitlines()
    assert all(CURSOR in lines[f.line - 1][f.column - 1:] for f in inside)
    assert not any(LAST in str(f) for f in findings)  # the report does not leak it

    scrubbed_path = tmp_path / "scrubbed.har"
    scrubbed_path.write_text(json.dumps(_scrubbed(), indent=1))
    assert audit_file(scrubbed_path, [PlantedValue("seeded patient name", LAST)]) == []
