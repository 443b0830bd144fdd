"""pytest fixtures for the Valant sandbox: a real portal on a free loopback port.

Listed in the root ``tests/conftest.py`` (``pytest_plugins``). What a test gets:

- ``sandbox`` / ``sandbox_2025`` / ``sandbox_2026``: session-scoped portals (200 patients,
  seed 7) in each UI version, shared by every test that only needs *a* portal;
- ``make_sandbox(**config)``: a factory for special configs (faults, short session TTL,
  other seeds); each portal it starts is stopped when the test ends;
- ``sandbox_mailbox``: the session's real Dovecot, receiving emailed MFA codes over LMTP.

Each handle carries the URL, the database (``query`` = ground truth), the mailbox and
SMS endpoints, the request log and the config. ``sign_in(page, handle)`` logs a browser
page in through the real login form with the password-only account.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Page

from portwright.templating import StaticSecretResolver
from portwright.testing.services.dovecot import DovecotServer
from portwright_valant.sandbox.auth import mailboxes
from portwright_valant.sandbox.auth.accounts import account as seeded_account
from portwright_valant.sandbox.config import SandboxConfig
from portwright_valant.sandbox.server import SandboxServer
from portwright_valant.sandbox.state import RequestLogEntry

__all__ = [
    "DEV_ACCOUNT",
    "Mailbox",
    "SandboxHandle",
    "SmsEndpoint",
    "csrf_of",
    "dev_secrets",
    "http_session",
    "make_sandbox",
    "sandbox",
    "sandbox_2025",
    "sandbox_2026",
    "sandbox_mailbox",
    "sign_in",
]

#: the seeded password-only admin (no MFA): for tests about pages, not about login
DEV_ACCOUNT: tuple[str, str] = ("devadmin", seeded_account("devadmin").password or "")


def dev_secrets() -> StaticSecretResolver:
    """The dev admin's sign-in as an engine's secret resolver (flows ask for ``username``
    and ``password``), so tests and benches don't spell the account out again."""
    username, password = DEV_ACCOUNT
    return StaticSecretResolver({"username": username, "password": password},
                                label="the dev admin")


@dataclass(frozen=True)
class Mailbox:
    """The Dovecot that receives the sandbox's emailed codes (read it with IMAP)."""

    host: str
    imap_port: int
    lmtp_port: int
    users: dict[str, str]  # address → IMAP password

    def password(self, address: str) -> str:
        return self.users[address]


@dataclass(frozen=True)
class SmsEndpoint:
    """Where the real ``twilio`` client reads the sandbox's texts: set ``api.base_url``."""

    base_url: str
    account_sid: str
    auth_token: str


@dataclass
class SandboxHandle:
    """A running sandbox portal and everything a test may inspect about it."""

    server: SandboxServer
    mailbox: Mailbox | None
    _conns: list[sqlite3.Connection] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def config(self) -> SandboxConfig:
        return self.server.config

    @property
    def db_path(self) -> Path:
        return self.server.state.db_path

    @property
    def request_log(self) -> list[RequestLogEntry]:
        return self.server.state.request_log

    @property
    def sms(self) -> SmsEndpoint:
        return SmsEndpoint(f"{self.url}/twilio", self.config.twilio_account_sid,
                           self.config.twilio_auth_token)

    @property
    def app(self) -> Any:
        return self.server.app

    def query(self, sql: str, *args: Any) -> list[sqlite3.Row]:
        """Rows from the portal's own database: the ground truth tests compare with."""
        conn = self.server.state.connect()
        try:
            return conn.execute(sql, args).fetchall()
        finally:
            conn.close()

    def scalar(self, sql: str, *args: Any) -> Any:
        rows = self.query(sql, *args)
        return rows[0][0] if rows else None


def _start(config: SandboxConfig, mail: DovecotServer | None) -> SandboxHandle:
    if mail is not None:
        config.lmtp_host, config.lmtp_port = mail.host, mail.lmtp_port
    server = SandboxServer(config).start()
    box = (Mailbox(mail.host, mail.imap_port, mail.lmtp_port, dict(mail.users))
           if mail is not None else None)
    return SandboxHandle(server=server, mailbox=box)


@pytest.fixture(scope="session")
def sandbox_mailbox() -> Iterator[DovecotServer]:
    """One real Dovecot for the session, with a mailbox per seeded sandbox user."""
    with DovecotServer(mailboxes(SandboxConfig())) as mail:
        yield mail


@pytest.fixture(scope="session")
def sandbox_2025(sandbox_mailbox: DovecotServer) -> Iterator[SandboxHandle]:
    handle = _start(SandboxConfig(ui_version="2025.4"), sandbox_mailbox)
    yield handle
    handle.server.stop()


@pytest.fixture(scope="session")
def sandbox_2026(sandbox_mailbox: DovecotServer) -> Iterator[SandboxHandle]:
    handle = _start(SandboxConfig(ui_version="2026.1"), sandbox_mailbox)
    yield handle
    handle.server.stop()


@pytest.fixture(scope="session")
def sandbox(sandbox_2025: SandboxHandle) -> SandboxHandle:
    """The default portal (UI 2025.4, seed 7, 200 patients)."""
    return sandbox_2025


@pytest.fixture
def make_sandbox(
    sandbox_mailbox: DovecotServer,
) -> Iterator[Callable[..., SandboxHandle]]:
    """Start extra portals with special settings: ``make_sandbox(faults="maintenance=on")``."""
    started: list[SandboxHandle] = []

    def factory(**options: Any) -> SandboxHandle:
        handle = _start(SandboxConfig(**options), sandbox_mailbox)
        started.append(handle)
        return handle

    yield factory
    for handle in started:
        handle.server.stop()


async def sign_in(page: Page, handle: SandboxHandle, account: tuple[str, str] = DEV_ACCOUNT,
                  next_path: str = "/dashboard") -> None:
    """Log ``page`` in through the portal's real login form (password-only account)."""
    username, password = account
    await page.goto(f"{handle.url}/login?next={next_path}")
    await page.locator('input[name="username"]').fill(username)
    await page.locator('input[name="password"]').fill(password)
    await page.locator('input[name="password"]').press("Enter")
    await page.wait_for_url(f"{handle.url}{next_path}*")


def http_session(handle: SandboxHandle, account: tuple[str, str] = DEV_ACCOUNT) -> httpx.Client:
    """An HTTP client signed in through the login form (CSRF token read from the page)."""
    client = httpx.Client(base_url=handle.url, follow_redirects=True, timeout=30)
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    if token is None:
        raise AssertionError("login page carries no CSRF token")
    username, password = account
    signed_in = client.post("/login", data={"username": username, "password": password,
                                            "csrf_token": token.group(1), "next": "/dashboard"})
    if not str(signed_in.url).endswith("/dashboard"):
        raise AssertionError(f"sign-in as {username} failed: {signed_in.status_code}")
    return client


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    if match is None:
        raise AssertionError("page carries no CSRF token")
    return match.group(1)
