"""The SMS code source reads the texts to *its* number, and its logs never show a number.

One provider account often serves several portal accounts, each enrolled with its own
phone. The real ``twilio`` client lists messages from the sandbox's Twilio-compatible
endpoint; the texts to other numbers are planted there as the provider would hold them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from portwright.auth.mfa import SmsAccount, SmsCodeSource
from portwright.auth.mfa.phone_log_mask import (
    PROVIDER_LOGGERS,
    PhoneNumberMask,
    install_phone_number_mask,
    mask_phone_numbers,
)
from portwright.testing.services.dovecot import DovecotServer
from portwright_valant.sandbox.auth import mfa as sandbox_mfa
from portwright_valant.sandbox.auth.accounts import account
from portwright_valant.sandbox.auth.twilio_api import record_sms
from portwright_valant.sandbox.config import SandboxConfig
from portwright_valant.sandbox.server import SandboxServer
from portwright_valant.testing import SandboxHandle

from .conftest import EngineFactory, start_portal
from .test_logins import _JumpingClock, _last_login

NUMBER_A = account("clinician").phone or ""
NUMBER_B = "+15555550177"  # another portal account's phone on the same provider account
SENDER = "+15005550006"
PATTERN = r"verification code is (\d{6})"
#: more texts than the provider returns on the first page (the source's page_size)
CROWD = 60


def _text(code: str) -> str:
    return f"Your Valant verification code is {code}. It expires in 10 minutes."


class _Provider:
    """A sandbox whose Twilio-compatible endpoint holds the texts a test plants."""

    def __init__(self, server: SandboxServer) -> None:
        self.server = server
        self.rt = server.app.state.auth
        self.config = server.config

    def send(self, to: str, body: str) -> None:
        self.rt.clock.advance(1)  # each text strictly newer than the one before
        with self.rt.write() as conn:
            record_sms(self.rt, conn, to, SENDER, body)

    def source(self, number: str) -> SmsCodeSource:
        account_ = SmsAccount(self.config.twilio_account_sid, self.config.twilio_auth_token,
                              number, api_base=f"{self.server.url}/twilio")
        # a clock that jumps: a source that never finds its code fails at once
        return SmsCodeSource(account_, PATTERN, clock=_JumpingClock(), poll_interval_s=1)


@pytest.fixture(scope="module")
def provider() -> Iterator[_Provider]:
    server = SandboxServer(SandboxConfig(patients=0)).start()
    try:
        yield _Provider(server)
    finally:
        server.stop()


async def test_each_account_gets_its_own_code_when_the_newest_text_is_for_another(
    provider: _Provider,
) -> None:
    source_a, source_b = provider.source(NUMBER_A), provider.source(NUMBER_B)
    await source_a.prepare()
    await source_b.prepare()
    provider.send(NUMBER_A, _text("314159"))
    provider.send(NUMBER_B, _text("271828"))  # the newest text on the provider account
    assert await source_a.next_code(timeout_s=5) == "314159"
    assert await source_b.next_code(timeout_s=5) == "271828"


async def test_the_code_is_found_when_other_numbers_texts_fill_a_whole_page(
    provider: _Provider,
) -> None:
    source = provider.source(NUMBER_A)
    await source.prepare()
    provider.send(NUMBER_A, _text("161803"))
    for i in range(CROWD):  # other accounts' logins meanwhile, all newer
        provider.send(f"+1555555{1000 + i:04d}", _text(f"{500000 + i}"))
    assert source.page_size < CROWD, "the code is not on the first page of all texts"
    assert await source.next_code(timeout_s=5) == "161803"


async def test_debug_logs_of_a_code_fetch_hold_no_phone_number(
    provider: _Provider, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    # even with the twilio client's own logger turned up (it logs every query at INFO)
    caplog.set_level(logging.DEBUG, logger="portwright.auth.mfa.sms.provider")
    source = provider.source(NUMBER_A)
    await source.prepare()
    provider.send(NUMBER_A, _text("577215"))
    assert await source.next_code(timeout_s=5) == "577215"

    logs = caplog.text
    assert "Messages.json" in logs, "the HTTP request lines were captured"
    assert "Query Params" in logs, "the twilio client's query lines were captured"
    national = NUMBER_A[-10:]  # the digits after the country code
    assert national not in logs
    assert NUMBER_A.replace("+", "%2B") not in logs
    assert "To=[number]" in logs  # the recipient filter went out, masked in the log


@pytest.mark.browser
@pytest.mark.services
async def test_sms_login_succeeds_while_other_accounts_texts_crowd_the_provider(
    make_engine: EngineFactory, sandbox_mailbox: DovecotServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    handle: SandboxHandle = start_portal(sandbox_mailbox, ui_version="2026.1")
    real = sandbox_mfa.CHANNELS["sms"]

    class CrowdedSms:
        """The portal texts the code; other users' codes arrive right after it."""

        sends_code = True

        def destination(self, user: Any) -> str:
            return real.destination(user)

        def deliver(self, rt: Any, user: Any, code: str) -> None:
            real.deliver(rt, user, code)
            with rt.write() as conn:
                for i in range(CROWD):
                    record_sms(rt, conn, f"+1555555{2000 + i:04d}", SENDER,
                               _text(f"{600000 + i}"))

    monkeypatch.setitem(sandbox_mfa.CHANNELS, "sms", CrowdedSms())
    try:
        # (a clock that jumps: a login that never finds its code fails at once)
        engine, _, _ = make_engine(handle, clock=_JumpingClock())
        await engine.run("valant.login.sms", account="clinician")
        assert _last_login(handle, "clinician") == "mfa:sms"
    finally:
        handle.server.stop()


def test_the_mask_hides_numbers_in_request_lines_and_query_reprs() -> None:
    line = ('http://127.0.0.1:8000 "GET /twilio/2010-04-01/Accounts/AC1/Messages.json'
            '?To=%2B15555550123&DateSent%3E=2026-12-01&PageSize=50 HTTP/1.1" 200 382')
    assert mask_phone_numbers(line) == line.replace("%2B15555550123", "[number]")
    params = "Query Params: {'To': '15555550123', 'From': '+15005550006', 'PageSize': 50}"
    masked = mask_phone_numbers(params)
    assert "5555550123" not in masked and "5005550006" not in masked
    assert "'PageSize': 50" in masked
    assert mask_phone_numbers('{"to": "+15555550123"}') == '{"to": "[number]"}'


def test_installing_the_mask_twice_adds_one_filter_and_leaves_root_alone() -> None:
    install_phone_number_mask()
    install_phone_number_mask()
    for name in PROVIDER_LOGGERS:
        filters = logging.getLogger(name).filters
        assert sum(isinstance(f, PhoneNumberMask) for f in filters) == 1
    assert not any(isinstance(f, PhoneNumberMask) for f in logging.getLogger().filters)
