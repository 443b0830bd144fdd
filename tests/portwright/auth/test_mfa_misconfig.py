"""Second factors that are set up wrong, or clocks that disagree: each fails at once with
an error that names the fix (never a secret), or copes — and never costs the portal a
sign-in attempt it did not need."""

from __future__ import annotations

import pytest

from portwright.exceptions import CredentialError, MfaError
from portwright_valant.sandbox.auth.accounts import account
from portwright_valant.testing import SandboxHandle

from .conftest import EngineFactory
from .test_logins import _JumpingClock, _last_login, _logins

pytestmark = [pytest.mark.browser, pytest.mark.services]


class _AheadClock(_JumpingClock):
    """The host's clock runs ahead of the SMS provider's (waits still cost nothing)."""

    def __init__(self, ahead_s: float) -> None:
        super().__init__()
        self.t += ahead_s


def _events(handle: SandboxHandle, user: str) -> int:
    return int(handle.scalar("SELECT count(*) FROM auth_events WHERE username = ?", user))


async def test_a_texted_code_is_found_when_the_host_clock_runs_ahead(
    auth_portals: dict[str, SandboxHandle], make_engine: EngineFactory,
) -> None:
    handle = auth_portals["2025.4"]
    engine, _, _ = make_engine(handle, clock=_AheadClock(3.0))
    before = _logins(handle, "clinician")
    await engine.run("valant.login.sms", account="clinician")
    assert _logins(handle, "clinician") == before + 1
    assert _last_login(handle, "clinician") == "mfa:sms"


async def test_an_account_whose_portal_asks_for_a_factor_it_has_no_secret_for(
    auth_portals: dict[str, SandboxHandle], make_engine: EngineFactory,
) -> None:
    """Account 'ops' signs in as admin (TOTP) but has no totp_secret: the generic login
    says what is missing instead of timing out on the signed-in page."""
    handle = auth_portals["2026.1"]
    engine, _, _ = make_engine(handle, extra={
        "PORTWRIGHT_SECRET_VALANT_OPS_USERNAME": "admin",
        "PORTWRIGHT_SECRET_VALANT_OPS_PASSWORD": account("admin").password or ""})
    with pytest.raises(MfaError) as info:
        await engine.run("valant.login", account="ops")
    text = str(info.value)
    assert "asks for a second factor but account 'ops' has no totp_secret" in text
    assert "sms_number" in text and "imap_" in text


@pytest.mark.parametrize("seed", ["not-base32-seed!!", "JBSWY3DPEHPK3PXP"])
async def test_a_bad_totp_seed_is_refused_before_the_password_is_sent(
    auth_portals: dict[str, SandboxHandle], make_engine: EngineFactory, seed: str,
) -> None:
    handle = auth_portals["2025.4"]
    engine, _, _ = make_engine(handle, extra={  # 'ops' signs in as admin
        "PORTWRIGHT_SECRET_VALANT_OPS_USERNAME": "admin",
        "PORTWRIGHT_SECRET_VALANT_OPS_PASSWORD": account("admin").password or "",
        "PORTWRIGHT_SECRET_VALANT_OPS_TOTP_SECRET": seed})
    before = _events(handle, "admin")
    with pytest.raises(CredentialError) as info:
        await engine.run("valant.login", account="ops")
    text = str(info.value)
    assert "secrets.valant.totp_secret" in text and "account 'ops'" in text
    assert seed not in text
    assert _events(handle, "admin") == before  # the portal saw no sign-in attempt
