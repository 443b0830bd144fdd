"""Sandboxes for the auth tests: the session's shared portals (one per UI version, from
``portwright_valant.testing``) wired to its real Dovecot, and ``auth_sandbox``, a
factory for tests that need their own config, clock or database.

The shared portals are only used by tests that sign in and look around; tests that lock
accounts, advance the clock or switch faults get a portal of their own.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from portwright.testing.services.dovecot import DovecotServer
from portwright_valant.sandbox.auth import AuthRuntime, mailboxes
from portwright_valant.sandbox.auth.totp import STEP_S, code_at
from portwright_valant.sandbox.config import SandboxConfig
from portwright_valant.sandbox.server import SandboxServer
from portwright_valant.testing import SandboxHandle

SandboxFactory = Callable[..., SandboxServer]


def _config(dovecot: DovecotServer, **overrides: Any) -> SandboxConfig:
    base = SandboxConfig(patients=10, lmtp_host=dovecot.host, lmtp_port=dovecot.lmtp_port)
    return replace(base, **overrides)


@pytest.fixture(scope="session")
def auth_dovecot(sandbox_mailbox: DovecotServer) -> DovecotServer:
    """The sandbox fixtures' Dovecot, with a mailbox for every seeded account."""
    sandbox_mailbox.add_users(mailboxes(SandboxConfig()))
    return sandbox_mailbox


@pytest.fixture(scope="session")
def portals(sandbox_2025: SandboxHandle, sandbox_2026: SandboxHandle,
            auth_dovecot: DovecotServer) -> dict[str, SandboxServer]:
    """The session's shared portals (one per UI version), for tests that only sign in."""
    return {"2025.4": sandbox_2025.server, "2026.1": sandbox_2026.server}


@pytest.fixture
def auth_sandbox(auth_dovecot: DovecotServer, tmp_path: Path) -> Iterator[SandboxFactory]:
    """Start a portal with config overrides (database in the test's tmp_path); stopped after."""
    started: list[SandboxServer] = []

    def make(**overrides: Any) -> SandboxServer:
        overrides.setdefault("db_path", tmp_path / f"valant-{len(started)}.sqlite3")
        server = SandboxServer(_config(auth_dovecot, **overrides)).start()
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


def auth_runtime(server: SandboxServer) -> AuthRuntime:
    rt = server.app.state.auth
    assert isinstance(rt, AuthRuntime)
    return rt


def db(server: SandboxServer) -> sqlite3.Connection:
    """A read connection on the portal's own database: the ground truth."""
    return server.state.connect()


def csrf_from(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "the page has no CSRF field"
    return m.group(1)


def _fresh_totp(server: SandboxServer, secret: str, table: str, username: str) -> str:
    """A code for a time step the portal has not accepted yet (it refuses reuse).

    The portal accepts the current step ±1; when all three were used already, this
    waits for the next window — the same thing the engine's MFA step does.
    """
    with db(server) as conn:
        last = conn.execute(f"SELECT totp_last_step FROM {table} WHERE username = ?",
                            (username,)).fetchone()[0]
    while True:
        current = int(time.time() // STEP_S)
        step = max(current - 1, last + 1)
        if step <= current + 1:
            return code_at(secret, step)
        time.sleep(0.5)  # waiting for a new TOTP window is the protocol, not a race


class Portal:
    """An httpx client that speaks the portal's forms (fetches CSRF tokens like a browser)."""

    def __init__(self, server: SandboxServer) -> None:
        self.server = server
        self.http = httpx.Client(base_url=server.url, follow_redirects=False, timeout=10)

    def form(self, path: str, page: str, data: dict[str, str]) -> httpx.Response:
        token = csrf_from(self.http.get(page).text)
        return self.http.post(path, data={"csrf_token": token, **data})

    def password(self, username: str, password: str, next_url: str = "") -> httpx.Response:
        return self.form("/login", f"/login?next={next_url}",
                         {"username": username, "password": password, "next": next_url})

    def code(self, code: str, remember: bool = False) -> httpx.Response:
        data = {"code": code}
        if remember:
            data["remember"] = "1"
        return self.form("/login/mfa", "/login/mfa", data)

    def close(self) -> None:
        self.http.close()


@pytest.fixture
def portal_client() -> Iterator[Callable[[SandboxServer], Portal]]:
    clients: list[Portal] = []

    def make(server: SandboxServer) -> Portal:
        client = Portal(server)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def fresh_totp() -> Callable[[SandboxServer, str, str, str], str]:
    """``fresh_totp(server, secret, table, username)``: a TOTP code the portal will accept."""
    return _fresh_totp


@pytest.fixture
def clock() -> Callable[[SandboxServer], Callable[[float], None]]:
    """``clock(server)(seconds)`` advances that portal's auth clock."""
    return lambda server: auth_runtime(server).clock.advance


class Inbox:
    """Reads a seeded user's mailbox in the real Dovecot over IMAP (imapclient)."""

    CODE = re.compile(r"verification code is (\d{6})")

    def __init__(self, dovecot: DovecotServer) -> None:
        self.dovecot = dovecot

    def _client(self, address: str) -> Any:
        from imapclient import IMAPClient

        from portwright_valant.sandbox.auth.accounts import MAILBOX_PASSWORD

        imap = IMAPClient(self.dovecot.host, port=self.dovecot.imap_port, ssl=False)
        imap.login(address, MAILBOX_PASSWORD)
        imap.select_folder("INBOX")
        return imap

    def mark(self, address: str) -> int:
        """The highest UID now in the inbox: later messages are newer than this."""
        with self._client(address) as imap:
            return max(imap.search(["ALL"]), default=0)

    def messages_after(self, address: str, mark: int) -> list[dict[str, Any]]:
        import email
        from email.policy import default

        with self._client(address) as imap:
            uids = [u for u in imap.search(["UID", f"{mark + 1}:*"]) if u > mark]
            fetched = imap.fetch(uids, ["RFC822"]) if uids else {}
            imap.add_flags(uids, [b"\\Seen"]) if uids else None
        out = []
        for uid in sorted(fetched):
            msg = email.message_from_bytes(fetched[uid][b"RFC822"], policy=default)
            body = msg.get_body(("plain",))
            text = body.get_content() if body is not None else ""
            m = self.CODE.search(text)
            out.append({"uid": uid, "from": str(msg["From"]), "subject": str(msg["Subject"]),
                        "to": str(msg["To"]), "code": m.group(1) if m else None})
        return out


@pytest.fixture
def inbox(auth_dovecot: DovecotServer) -> Inbox:
    return Inbox(auth_dovecot)


@pytest.fixture
def twilio_client() -> Callable[[SandboxServer], Any]:
    """The real ``twilio`` client pointed at a portal's Twilio-compatible API."""
    from twilio.rest import Client

    def make(server: SandboxServer, token: str | None = None) -> Any:
        client = Client(server.config.twilio_account_sid,
                        token or server.config.twilio_auth_token)
        client.api.base_url = server.url + "/twilio"
        return client

    return make
