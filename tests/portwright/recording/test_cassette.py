"""The SMS provider's API through the real twilio client: recorded scrubbed, replayed offline."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from twilio.rest import Client
from vcr.errors import CannotOverwriteExistingCassetteException

from portwright.recording.cassette import make_vcr
from portwright.recording.record_mode import RecordMode
from portwright.recording.scrub import (
    BASELINE_POLICY,
    PLACEHOLDERS,
    Scrubber,
    ScrubPolicy,
    SecretKind,
)

SID = "AC" + "5e" * 16
TOKEN = "live-auth-token-4f3e2d1c0b"
NUMBER = "+15037771234"
CODE = "731904"
POLICY = BASELINE_POLICY.merged(ScrubPolicy.model_validate({
    "fields": {"to": "phone", "from": "phone"},
    "text_patterns": [{"pattern": r"verification code is (?P<value>\d{6})", "kind": "mfa_code"}],
    "path_patterns": [{"pattern": "AC[0-9a-f]{32}", "kind": "secret"}],
    "volatile_params": ["DateSent>"],
}))


@pytest.fixture(scope="module")
def sms_api() -> Iterator[tuple[str, list[str]]]:
    """A loopback endpoint speaking Twilio's Messages list format."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            hits.append(self.path)
            query = parse_qs(urlsplit(self.path).query)
            message = {"sid": "SM" + "1" * 32, "account_sid": SID, "to": query["To"][0],
                       "from": "+15005550006", "body": f"Your verification code is {CODE}.",
                       "status": "delivered", "direction": "outbound-api",
                       "date_sent": "Mon, 30 Nov 2026 19:00:00 +0000"}
            body = json.dumps({"messages": [message], "next_page_uri": None, "page": 0,
                               "page_size": 20, "uri": self.path}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()
    thread.join()


def _client(base: str, sid: str = SID, token: str = TOKEN) -> Client:
    client = Client(sid, token)
    client.api.base_url = base
    return client


def _list(client: Client, after: datetime) -> list[object]:
    return list(client.messages.list(to=NUMBER, date_sent_after=after, limit=20))


def test_cassette_is_scrubbed_and_replays_offline(sms_api: tuple[str, list[str]],
                                                  tmp_path: Path) -> None:
    base, hits = sms_api
    cassette = tmp_path / "cassette.yaml"
    recorder = make_vcr(POLICY, RecordMode.ALL, Scrubber(POLICY))
    with recorder.use_cassette(str(cassette)):
        live = _list(_client(base), datetime.now(UTC) - timedelta(minutes=5))
    assert CODE in live[0].body  # type: ignore[attr-defined]
    text = cassette.read_text()
    for secret in (SID, TOKEN, NUMBER, NUMBER.replace("+", "%2B"), CODE):
        assert secret not in text, secret
    assert PLACEHOLDERS[SecretKind.MFA_CODE] in text

    hits_before = len(hits)
    with make_vcr(POLICY, RecordMode.NONE).use_cassette(str(cassette)):
        # other credentials and another "sent after" time: still the recorded answer
        replayed = _list(_client(base, "AC" + "0" * 32, "other"),
                         datetime.now(UTC) - timedelta(minutes=1))
        with pytest.raises(CannotOverwriteExistingCassetteException):
            _client(base).messages("SM" + "2" * 32).fetch()
    body = replayed[0].body  # type: ignore[attr-defined]
    assert body == f"Your verification code is {PLACEHOLDERS[SecretKind.MFA_CODE]}."
    assert replayed[0].to != NUMBER  # type: ignore[attr-defined]
    assert len(hits) == hits_before  # nothing reached the endpoint
