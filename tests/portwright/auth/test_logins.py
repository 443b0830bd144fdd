"""Each second factor and SSO, through the real channels, in both UI versions.

TOTP from the seed in the credential store; the emailed code read from the real Dovecot
over IMAP; the texted code read with the real twilio client from the sandbox's
Twilio-compatible API; SSO through the sandbox IdP with its own TOTP. The sandbox's
database says who signed in and how: that is the ground truth.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from imapclient import IMAPClient
from playwright.async_api import Route

from portwright.exceptions import MfaCodeRejected
from portwright.testing.services.dovecot import DovecotServer
from portwright_valant.sandbox.auth.accounts import MAILBOX_PASSWORD
from portwright_valant.testing import SandboxHandle

from .conftest import UI_VERSIONS, EngineFactory

pytestmark = [pytest.mark.browser, pytest.mark.services]

CASES = [
    ("valant.login.totp", "admin", "mfa:totp", "totp"),
    ("valant.login.email", "scheduler", "mfa:email", "email"),
    ("valant.login.sms", "clinician", "mfa:sms", "sms"),
    ("valant.login.sso", "jlee", "sso", "totp"),
]


def _last_login(handle: SandboxHandle, username: str) -> str | None:
    rows = handle.query(
        "SELECT detail FROM auth_events WHERE username = ? AND event = 'login'"
        " ORDER BY id DESC LIMIT 1", username)
    return rows[0]["detail"] if rows else None


def _logins(handle: SandboxHandle, username: str) -> int:
    return int(handle.scalar(
        "SELECT count(*) FROM auth_events WHERE username = ? AND event = 'login'", username))


@pytest.mark.parametrize("ui", UI_VERSIONS)
@pytest.mark.parametrize(("flow", "user", "via", "method"), CASES,
                         ids=[c[0].rsplit(".", 1)[1] for c in CASES])
async def test_login_through_the_real_channel(
    auth_portals: dict[str, SandboxHandle], make_engine: EngineFactory,
    ui: str, flow: str, user: str, via: str, method: str,
) -> None:
    handle = auth_portals[ui]
    engine, _, _ = make_engine(handle)
    before = _logins(handle, user)
    result = await engine.run(flow, account=user)
    assert _logins(handle, user) == before + 1
    assert _last_login(handle, user) == via
    mfa = next(s for s in result.steps if s.action == "mfa")
    assert mfa.detail["method"] == method
    assert result.portal_version == ui
    health = await engine.run("valant.session.check", account=user)
    assert health.outputs["healthy"] is True


async def test_email_code_is_read_once_and_marked_seen(
    auth_portals: dict[str, SandboxHandle], make_engine: EngineFactory,
    sandbox_mailbox: DovecotServer,
) -> None:
    handle = auth_portals["2025.4"]
    engine, _, _ = make_engine(handle)
    address = f"scheduler@{handle.config.mail_domain}"
    with IMAPClient(sandbox_mailbox.host, port=sandbox_mailbox.imap_port, ssl=False) as imap:
        imap.login(address, MAILBOX_PASSWORD)
        imap.select_folder("INBOX")
        before = set(imap.search(["ALL"]))
    await engine.run("valant.login.email", account="scheduler")
    with IMAPClient(sandbox_mailbox.host, port=sandbox_mailbox.imap_port, ssl=False) as imap:
        imap.login(address, MAILBOX_PASSWORD)
        imap.select_folder("INBOX")
        new = set(imap.search(["ALL"])) - before
        assert len(new) == 1  # the portal sent exactly one code ...
        assert new <= set(imap.search(["SEEN"]))  # ... and the login consumed it


async def test_generic_login_picks_the_accounts_factor(
    auth_portals: dict[str, SandboxHandle], make_engine: EngineFactory,
) -> None:
    handle = auth_portals["2026.1"]
    engine, _, _ = make_engine(handle)
    for user, via in (("clinician", "mfa:sms"), ("biller", "password")):
        result = await engine.run("valant.login", account=user)
        assert _last_login(handle, user) == via
        mfa = next(s for s in result.steps if s.action == "mfa")
        assert mfa.detail["method"] == ("sms" if user == "clinician" else "none")


class _JumpingClock:
    """Each wait jumps to the next TOTP window at once (no real waiting in tests)."""

    def __init__(self) -> None:
        import time

        self.t = time.time()

    def now(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.t += seconds


async def test_a_rejected_code_is_reported_as_rejected_not_as_a_timeout(
    auth_portals: dict[str, SandboxHandle], make_engine: EngineFactory,
    tmp_path: Path,
) -> None:
    handle = auth_portals["2025.4"]
    wrong_seed = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    engine, _, _ = make_engine(handle, clock=_JumpingClock(), extra={
        "PORTWRIGHT_SECRET_VALANT_ADMIN_TOTP_SECRET": wrong_seed})
    failures_before = int(handle.scalar(
        "SELECT count(*) FROM auth_events WHERE username='admin' AND event='mfa_failed'"))
    with pytest.raises(MfaCodeRejected) as info:
        await engine.run("valant.login.totp", account="admin")
    text = str(info.value)
    assert "Invalid code" in text  # the portal's own words
    assert wrong_seed not in text
    # one new code was tried after the first rejection: the portal saw two failures
    failures = int(handle.scalar(
        "SELECT count(*) FROM auth_events WHERE username='admin' AND event='mfa_failed'"))
    assert failures == failures_before + 2


async def test_a_rejected_emailed_code_is_replaced_through_resend(
    auth_portals: dict[str, SandboxHandle], make_engine: EngineFactory,
) -> None:
    """The first code reaches the portal garbled (as if mistyped); the portal rejects it,
    the step asks for a new code with the resend button and signs in with that one."""
    handle = auth_portals["2026.1"]
    engine, _, _ = make_engine(handle)
    session = await engine.session("valant", "scheduler")
    garbled: list[str] = []

    async def garble_first_code(route: Route) -> None:
        body = route.request.post_data or ""
        if route.request.method == "POST" and not garbled:
            garbled.append(body)
            body = re.sub(r"(^|&)code=\d+", r"\1code=000000", body)
            await route.continue_(post_data=body)
        else:
            await route.continue_()

    await session.context.route(re.compile(r"/login/mfa$"), garble_first_code)
    sent_before = int(handle.scalar(
        "SELECT count(*) FROM auth_events WHERE username='scheduler' AND event='mfa_sent'"))
    result = await engine.run("valant.login.email", account="scheduler")
    assert garbled, "the first code went through the route"
    mfa = next(s for s in result.steps if s.action == "mfa")
    assert mfa.detail["codes_tried"] == 2
    assert _last_login(handle, "scheduler") == "mfa:email"
    sent = int(handle.scalar(
        "SELECT count(*) FROM auth_events WHERE username='scheduler' AND event='mfa_sent'"))
    assert sent == sent_before + 2  # the original code and the one asked for by resend


async def test_a_remembered_device_signs_in_without_a_code(
    auth_portals: dict[str, SandboxHandle], make_engine: EngineFactory,
) -> None:
    """The portal skips the second factor for a remembered device; the step sees the
    signed-in page instead of the code field and does not wait for a code."""
    handle = auth_portals["2025.4"]
    engine, _, _ = make_engine(handle)
    session = await engine.session("valant", "clinician")

    async def tick_remember(route: Route) -> None:  # as if the user ticked the box
        if route.request.method == "POST":
            await route.continue_(post_data=(route.request.post_data or "") + "&remember=1")
        else:
            await route.continue_()

    await session.context.route(re.compile(r"/login/mfa$"), tick_remember)
    await engine.run("valant.login.sms", account="clinician")
    await session.context.unroute(re.compile(r"/login/mfa$"))
    # The portal session ends (the device cookie stays), then the flow runs again.
    cookies = await session.context.cookies()
    await session.context.clear_cookies()
    await session.context.add_cookies([c for c in cookies if c["name"] != "vl_session"])
    texts_before = int(handle.scalar(
        "SELECT count(*) FROM auth_events WHERE username='clinician' AND event='mfa_sent'"))
    result = await engine.run("valant.login.sms", account="clinician")
    assert _last_login(handle, "clinician") == "device"
    mfa = next(s for s in result.steps if s.action == "mfa")
    assert "remembered device" in mfa.detail["skipped"]
    texts = int(handle.scalar(
        "SELECT count(*) FROM auth_events WHERE username='clinician' AND event='mfa_sent'"))
    assert texts == texts_before  # no code was sent, none was waited for
