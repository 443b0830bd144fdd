"""The SMS code source replayed from recorded provider answers (pytest-recording).

The cassette was recorded once against the sandbox's Twilio-compatible endpoint with the
real ``twilio`` client (``pytest tests/portwright/auth/test_sms_cassettes.py
--record-mode=once`` re-records it, starting a sandbox). Before anything reaches disk the
filters below replace the account SID, every phone number and every code with fixed
pseudonyms and drop the Authorization header, so the cassette holds no SID, token or
number; CI replays it with record mode "none" (no network).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from portwright.auth.mfa import SmsAccount, SmsCodeSource
from portwright.exceptions import MfaTimeout

CASSETTES = Path(__file__).parent / "cassettes"
T0 = 1_795_000_000.0  # the recorded "now" (2026-11-18T...Z): fixed, so queries match
SID = "AC5a1d0c0ffee0b1e55ed0d06f00d5a7e1"  # the sandbox's default test account
TOKEN = "sandbox-twilio-auth-token-0000000"
NUMBER = "+15555550123"
PSEUDO_SID = "AC" + "0" * 32
PSEUDO_HOST = "http://sms-provider.test"

_SID_RE = re.compile(r"AC[0-9a-fA-F]{32}")
_PHONE_RE = re.compile(r"(?:\+|%2B)\d{10,15}")
_CODE_RE = re.compile(r"(code is )(\d{6})")
_HOST_RE = re.compile(r"^https?://[^/]+(/twilio)?")
PSEUDO_NUMBER = "+15550000100"
_phones: dict[str, str] = {NUMBER: PSEUDO_NUMBER, "+15005550006": "+15550000200"}
_codes: dict[str, str] = {}


def _phone(match: re.Match[str]) -> str:
    digits = match.group(0).replace("%2B", "+")
    if digits in _phones.values():  # already a pseudonym (vcr filters played answers too)
        return match.group(0)
    fake = _phones.setdefault(digits, f"+1555000{len(_phones) + 1000:04d}")
    return fake if match.group(0).startswith("+") else fake.replace("+", "%2B")


def _code(match: re.Match[str]) -> str:
    code = match.group(2)
    if code in _codes.values():
        return match.group(0)
    return match.group(1) + _codes.setdefault(code, f"{100001 + len(_codes)}")


def scrub(text: str) -> str:
    return _CODE_RE.sub(_code, _PHONE_RE.sub(_phone, _SID_RE.sub(PSEUDO_SID, text)))


def _scrub_request(request: Any) -> Any:
    request.uri = scrub(_HOST_RE.sub(PSEUDO_HOST, request.uri))
    return request


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    body = response["body"]["string"]
    text = body.decode() if isinstance(body, bytes) else body
    response["body"]["string"] = scrub(text).encode()
    response["headers"] = {k: v for k, v in response["headers"].items()
                           if k.lower() in ("content-type",)}
    return response


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return {
        "filter_headers": ["authorization", "user-agent"],
        "before_record_request": _scrub_request,
        "before_record_response": _scrub_response,
        "match_on": ["method", "scheme", "host", "port", "path", "query"],
    }


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(CASSETTES)


class FixedClock:
    def __init__(self, t: float) -> None:
        self.t = t

    def now(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.t += seconds


@pytest.fixture
def provider(request: pytest.FixtureRequest) -> Iterator[tuple[str, str, Any]]:
    """Recording: a live sandbox whose clock reads T0 (messages planted around it), and the
    real number. Replaying: nothing runs, and the account's number is the pseudonym the
    cassette holds (the filters replaced the real one)."""
    if (request.config.getoption("--record-mode") or "none") == "none":
        yield "http://127.0.0.1:9", PSEUDO_NUMBER, None
        return
    from portwright_valant.sandbox.auth.twilio_api import record_sms
    from portwright_valant.sandbox.config import SandboxConfig
    from portwright_valant.sandbox.server import SandboxServer

    server = SandboxServer(SandboxConfig(patients=0)).start()
    rt = server.app.state.auth

    def send(body: str, at: float) -> None:
        rt.clock.advance(at - rt.now())
        with rt.write() as conn:
            record_sms(rt, conn, NUMBER, "+15005550006", body)

    try:
        yield f"{server.url}/twilio", NUMBER, send
    finally:
        server.stop()


def _source(base: str, number: str, clock: FixedClock) -> SmsCodeSource:
    return SmsCodeSource(SmsAccount(SID, TOKEN, number, api_base=base),
                         r"verification code is (\d{6})", clock=clock, poll_interval_s=5)


@pytest.mark.vcr
async def test_takes_the_code_sent_after_the_request(provider: tuple[str, str, Any]) -> None:
    base, number, send = provider
    if send:
        send("Your Valant verification code is 480213. It expires in 10 minutes.", T0 - 120)
    source = _source(base, number, FixedClock(T0))
    await source.prepare()
    if send:
        send("Your Valant verification code is 771946. It expires in 10 minutes.", T0 + 1)
    code = await source.next_code(timeout_s=5)
    # recorded: the old code became 100001, the new one 100002 (pseudonyms)
    assert code == ("771946" if send else "100002")


@pytest.mark.vcr
async def test_times_out_naming_the_masked_number(provider: tuple[str, str, Any]) -> None:
    base, number, send = provider
    if send:
        send("Your Valant verification code is 480213. It expires in 10 minutes.", T0 - 120)
    source = _source(base, number, FixedClock(T0))
    await source.prepare()
    with pytest.raises(MfaTimeout) as info:
        await source.next_code(timeout_s=4)
    text = str(info.value)
    assert f"••••{number[-4:]}" in text
    assert number not in text


def test_cassettes_hold_no_sid_token_or_number() -> None:
    files = sorted(CASSETTES.glob("test_*.yaml"))
    assert len(files) == 2
    for path in files:
        text = path.read_text()
        yaml.safe_load(text)
        for secret in (SID, TOKEN, NUMBER, NUMBER.replace("+", "%2B"), "+15005550006",
                       "480213", "771946"):
            assert secret not in text, f"{secret!r} in {path.name}"
        assert "authorization" not in text.lower()
