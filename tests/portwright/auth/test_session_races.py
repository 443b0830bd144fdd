"""Sessions under pressure: parallel runs of one account in one engine on a cold start,
``login --force``, a changed username, a newer session saved meanwhile, a refused
password, and snapshots taken of pages that deny storage access. Ground truth: the
sandbox database (who signed in, how often, who the session belongs to)."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from playwright.async_api import Browser
from typer.testing import CliRunner

from portwright.auth.credentials import load_fernet
from portwright.auth.sessions import SavedSession, SessionVault, StorageSnapshot, capture
from portwright.cli import app
from portwright.exceptions import CredentialError, LoginFailed
from portwright.runner.engine import Engine
from portwright.testing.services.dovecot import DovecotServer
from portwright_valant.sandbox.auth.accounts import account
from portwright_valant.testing import SandboxHandle

from .conftest import EngineFactory, account_secrets, start_portal
from .test_sessions import _cli_env, _logins

pytestmark = [pytest.mark.browser, pytest.mark.services]


@pytest.fixture(scope="module")
def portal(sandbox_mailbox: DovecotServer) -> Iterator[SandboxHandle]:
    """A portal where a new login ends the account's older session."""
    handle = start_portal(sandbox_mailbox, single_session=True)
    yield handle
    handle.server.stop()


async def _whoami(engine: Engine, handle: SandboxHandle, user: str) -> str | None:
    session = await engine.session("valant", user)
    response = await session.context.request.get(f"{handle.url}/api/me")
    if not response.ok:
        return None
    return str((await response.json())["username"])


def _failed_logins(handle: SandboxHandle, user: str) -> int:
    return int(handle.scalar(
        "SELECT count(*) FROM auth_events WHERE username = ? AND event IN "
        "('login_failed', 'locked', 'login_locked')", user))


async def test_parallel_runs_of_one_account_on_a_cold_start_share_one_login(
    portal: SandboxHandle, make_engine: EngineFactory,
) -> None:
    """Two runs of one account at once in one engine, nothing saved yet: the second
    waits for the first's login and reuses it; neither logs the other out."""
    engine, auth, _ = make_engine(portal)
    before = _logins(portal, "devadmin")
    results = await asyncio.gather(
        auth.run("valant.providers.list", {}, account="devadmin"),
        auth.run("valant.providers.list", {}, account="devadmin"),
        return_exceptions=True)
    errors = [r for r in results if isinstance(r, BaseException)]
    assert errors == []
    assert _logins(portal, "devadmin") == before + 1
    assert auth.manager.logins == 1
    assert await _whoami(engine, portal, "devadmin") == "devadmin"


async def test_a_snapshot_of_pages_without_storage_access_does_not_fail(
    browser: Browser,
) -> None:
    """about:blank and data: documents deny sessionStorage (SecurityError): they hold no
    session, and capturing the context must not fail on them."""
    context = await browser.new_context()
    try:
        await context.new_page()  # about:blank
        data = await context.new_page()
        await data.goto("data:text/html,<p>nothing stored here</p>")
        snapshot = await capture(context)
        assert snapshot.session_storage == {}
    finally:
        await context.close()


def test_login_force_logs_in_even_when_the_saved_session_is_healthy(
    portal: SandboxHandle, tmp_path: Path, sandbox_mailbox: DovecotServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key, value in _cli_env(tmp_path / "state",
                               account_secrets(portal, sandbox_mailbox)).items():
        monkeypatch.setenv(key, value)
    runner = CliRunner()
    url = ["--portal-url", portal.url]
    first = runner.invoke(app, ["login", "valant", "--account", "biller", *url])
    assert first.exit_code == 0, first.output
    before = _logins(portal, "biller")
    forced = runner.invoke(app, ["login", "valant", "--account", "biller", "--force", *url])
    assert forced.exit_code == 0, forced.output
    assert "logged in with valant.login" in forced.output
    assert _logins(portal, "biller") == before + 1  # the portal saw a new login


async def test_a_saved_session_is_not_reused_once_the_username_changes(
    portal: SandboxHandle, make_engine: EngineFactory, tmp_path: Path,
) -> None:
    """The account 'ops' signed in as biller; its secrets now name devadmin. Runs must
    act as devadmin, not go on as biller in the old saved session."""
    def as_user(user: str) -> dict[str, str]:
        return {"PORTWRIGHT_SECRET_VALANT_OPS_USERNAME": user,
                "PORTWRIGHT_SECRET_VALANT_OPS_PASSWORD": account(user).password or ""}

    _, auth, _ = make_engine(portal, extra=as_user("biller"))
    assert (await auth.ensure("valant", "ops")).logged_in
    state = tmp_path / "state"
    raw = (state / "sessions" / "valant" / "ops.session").read_bytes()
    assert b"biller" not in raw  # encrypted: neither the username nor its hash in clear

    engine, auth2, _ = make_engine(portal, extra=as_user("devadmin"))
    outcome = await auth2.ensure("valant", "ops")
    assert outcome.logged_in
    assert await _whoami(engine, portal, "ops") == "devadmin"


def test_a_session_file_of_another_account_is_refused(tmp_path: Path) -> None:
    key = Fernet.generate_key()
    vault = SessionVault(tmp_path, lambda: Fernet(key))
    empty = StorageSnapshot(storage_state={"cookies": [], "origins": []})
    vault.save(SavedSession("valant", "admin", empty, saved_at=1.0))
    shutil.copy(vault.path("valant", "admin"), vault.path("valant", "biller"))
    with pytest.raises(CredentialError, match="belongs to valant/admin, not valant/biller"):
        vault.load("valant", "biller")


def test_marking_an_older_session_healthy_keeps_a_newer_one(tmp_path: Path) -> None:
    """Process 1 loaded a session and found it healthy; meanwhile process 2 logged in and
    saved a newer one. Recording process 1's check must not bring the old one back."""
    key = Fernet.generate_key()
    vault = SessionVault(tmp_path, lambda: Fernet(key))
    old = StorageSnapshot(storage_state={"cookies": [{"name": "sid", "value": "old"}]})
    new = StorageSnapshot(storage_state={"cookies": [{"name": "sid", "value": "new"}]})
    vault.save(SavedSession("valant", "admin", old, saved_at=1.0))
    loaded = vault.load("valant", "admin")
    assert loaded is not None
    vault.save(SavedSession("valant", "admin", new, saved_at=2.0))  # the other process
    vault.mark_checked(loaded, 3.0)
    kept = SessionVault(tmp_path, lambda: Fernet(key)).load("valant", "admin")
    assert kept is not None and kept.saved_at == 2.0
    assert kept.snapshot.storage_state["cookies"][0]["value"] == "new"


async def test_a_refused_password_is_not_tried_again_until_it_changes(
    portal: SandboxHandle, make_engine: EngineFactory, tmp_path: Path,
) -> None:
    """The portal locks an account after five refusals in a row: after one, later runs
    stop before the portal, with a clear error, until the password secret changes."""
    user = "scheduler"  # its own failures only: other tests use biller and devadmin
    wrong = {"PORTWRIGHT_SECRET_VALANT_SCHEDULER_PASSWORD": "Not-The-Password-1!"}
    before = _failed_logins(portal, user)
    _, auth, _ = make_engine(portal, extra=wrong)
    with pytest.raises(LoginFailed, match="refused the sign-in"):
        await auth.ensure("valant", user)
    assert _failed_logins(portal, user) == before + 1
    for _ in range(2):  # later runs, other engines (as other processes would be)
        _, again, _ = make_engine(portal, extra=wrong)
        with pytest.raises(LoginFailed) as info:
            await again.ensure("valant", user)
        text = str(info.value)
        assert "not trying them again" in text and "Not-The-Password" not in text
    assert _failed_logins(portal, user) == before + 1  # the portal saw no new attempt
    # The secret is fixed: the next run signs in (email MFA) as usual.
    _, fixed, _ = make_engine(portal)
    assert (await fixed.ensure("valant", user)).logged_in
    assert not list((tmp_path / "state" / "refused").rglob("*.refused"))


def test_refusals_are_kept_encrypted(tmp_path: Path) -> None:
    """The record of a refused password holds neither it nor an unkeyed hash of it."""
    import hashlib

    from portwright.auth.sessions.refusals import RefusedLogins

    state = tmp_path / "state"
    refusals = RefusedLogins(state, lambda: load_fernet(state, create=True))
    creds = {"username": "biller", "password": "Wrong-Password-77"}
    refusals.record("valant", "biller", creds)
    raw = refusals.path("valant", "biller").read_bytes()
    for plain in (b"biller", b"Wrong-Password-77",
                  hashlib.sha256(b"Wrong-Password-77").hexdigest().encode()):
        assert plain not in raw
    with pytest.raises(LoginFailed):
        refusals.check("valant", "biller", creds)
    refusals.check("valant", "biller", {**creds, "password": "Fixed-Password-78"})
    assert not refusals.path("valant", "biller").exists()
