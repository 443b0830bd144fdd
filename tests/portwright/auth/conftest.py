"""Fixtures for auth tests against the real sandbox portal: one portal per UI version for
the whole auth suite, the session's real Dovecot, and per-test engines on the shared
browser with a private state folder (saved sessions, TOTP ledger, locks)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser

from portwright.auth.credentials import CredentialStore, EnvironmentSource
from portwright.auth.mfa.clock import Clock
from portwright.auth.portal_auth import PortalAuth
from portwright.runner.engine import Engine, TraceMode
from portwright.settings import Settings, load_settings
from portwright.testing.services.dovecot import DovecotServer
from portwright_valant.sandbox.auth.accounts import IDP_ACCOUNTS, MAILBOX_PASSWORD, account
from portwright_valant.sandbox.config import SandboxConfig
from portwright_valant.sandbox.server import SandboxServer
from portwright_valant.testing import Mailbox, SandboxHandle

UI_VERSIONS = ("2025.4", "2026.1")

EngineFactory = Callable[..., tuple[Engine, PortalAuth, dict[str, str]]]


def start_portal(mail: DovecotServer, **options: object) -> SandboxHandle:
    """A sandbox wired to the real Dovecot (its emailed codes land there)."""
    config = SandboxConfig(patients=20, lmtp_host=mail.host, lmtp_port=mail.lmtp_port,
                           **options)  # type: ignore[arg-type]
    server = SandboxServer(config).start()
    return SandboxHandle(server=server, mailbox=Mailbox(
        mail.host, mail.imap_port, mail.lmtp_port, dict(mail.users)))


@pytest.fixture(scope="session")
def auth_portals(sandbox_mailbox: DovecotServer) -> Iterator[dict[str, SandboxHandle]]:
    """One portal per UI version, private to the auth suite (its own TOTP replay state)."""
    portals = {ui: start_portal(sandbox_mailbox, ui_version=ui) for ui in UI_VERSIONS}
    yield portals
    for handle in portals.values():
        handle.server.stop()


def account_secrets(handle: SandboxHandle, mail: DovecotServer) -> dict[str, str]:
    """What a user would put in the credential store for each seeded account."""
    env: dict[str, str] = {}

    def put(acc: str, name: str, value: str) -> None:
        env[f"PORTWRIGHT_SECRET_VALANT_{acc.upper()}_{name.upper()}"] = value

    for name in ("admin", "scheduler", "clinician", "biller", "devadmin"):
        acc = account(name)
        put(name, "username", acc.username)
        put(name, "password", acc.password or "")
    put("admin", "totp_secret", account("admin").totp_secret or "")
    domain = handle.config.mail_domain
    put("scheduler", "imap_host", mail.host)
    put("scheduler", "imap_port", str(mail.imap_port))
    put("scheduler", "imap_tls", "false")
    put("scheduler", "imap_user", f"scheduler@{domain}")
    put("scheduler", "imap_password", MAILBOX_PASSWORD)
    sms = handle.sms
    put("clinician", "twilio_account_sid", sms.account_sid)
    put("clinician", "twilio_auth_token", sms.auth_token)
    put("clinician", "twilio_api_base", sms.base_url)
    put("clinician", "sms_number", account("clinician").phone or "")
    idp = IDP_ACCOUNTS[0]
    put("jlee", "sso_username", idp.username)
    put("jlee", "sso_password", idp.password)
    put("jlee", "sso_totp_secret", idp.totp_secret)
    put("jlee", "login_flow", "valant.login.sso")
    return env


def settings_in(tmp: Path) -> Settings:
    """The repository's flows and maps; state and artifacts in a private folder."""
    return load_settings(state=tmp / "state", artifacts=tmp / "artifacts")


@pytest_asyncio.fixture(loop_scope="session")
async def make_engine(
    browser: Browser, tmp_path: Path, sandbox_mailbox: DovecotServer
) -> AsyncIterator[EngineFactory]:
    """``make_engine(handle, state=None, extra={})`` → (engine, auth, secrets env)."""
    engines: list[Engine] = []

    def factory(handle: SandboxHandle, *, state: Path | None = None,
                extra: dict[str, str] | None = None, trace: TraceMode = "retain-on-failure",
                settings: Settings | None = None, clock: Clock | None = None,
                ) -> tuple[Engine, PortalAuth, dict[str, str]]:
        env = account_secrets(handle, sandbox_mailbox) | (extra or {})
        engine = Engine(settings or settings_in(state or tmp_path), browser=browser,
                        trace=trace,
                        secrets=CredentialStore([EnvironmentSource(env)]),
                        portal_urls={"valant": handle.url}, clock=clock)
        engines.append(engine)
        return engine, PortalAuth(engine), env

    yield factory
    for engine in engines:
        await engine.close()
