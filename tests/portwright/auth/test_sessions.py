"""Saved sessions: reused across runs and processes, one login at a time per account
(the portal's "a new login ends the older session" mode), and expiry in the middle of a
flow recovered by re-login without writing twice. Ground truth: the sandbox database."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Route
from typer.testing import CliRunner

from portwright.auth.credentials import load_fernet
from portwright.auth.sessions import SessionVault
from portwright.cli import app
from portwright.exceptions import SessionExpired
from portwright.settings import load_settings
from portwright.testing.services.dovecot import DovecotServer
from portwright_valant.sandbox.auth.accounts import account
from portwright_valant.testing import SandboxHandle

from .conftest import EngineFactory, account_secrets, start_portal

pytestmark = [pytest.mark.browser, pytest.mark.services]

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def single_session_portal(sandbox_mailbox: DovecotServer) -> Iterator[SandboxHandle]:
    """A portal where a new login ends the account's older session, with a short idle
    timeout (expiry is forced by advancing the portal's own clock, never by sleeping)."""
    handle = start_portal(sandbox_mailbox, single_session=True, session_ttl_s=600)
    yield handle
    handle.server.stop()


def _logins(handle: SandboxHandle, user: str) -> int:
    return int(handle.scalar(
        "SELECT count(*) FROM auth_events WHERE username = ? AND event = 'login'", user))


def _cli_env(state: Path, secrets: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTWRIGHT_")}
    env.update(secrets)
    env["PORTWRIGHT_STATE"] = str(state)
    env["PORTWRIGHT_ARTIFACTS"] = str(state.parent / "artifacts")
    return env


async def test_saved_session_is_encrypted_and_reused_by_later_runs(
    single_session_portal: SandboxHandle, make_engine: EngineFactory, tmp_path: Path,
    sandbox_mailbox: DovecotServer,
) -> None:
    handle = single_session_portal
    _, auth, _ = make_engine(handle)
    first = await auth.ensure("valant", "biller")
    assert first.logged_in
    logins = _logins(handle, "biller")

    # The file on disk is encrypted: no cookie value in it.
    state = tmp_path / "state"
    vault = SessionVault(state, lambda: load_fernet(state))
    saved = vault.load("valant", "biller")
    assert saved is not None
    cookie = next(c for c in saved.snapshot.storage_state["cookies"] if c["name"] == "vl_session")
    raw = vault.path("valant", "biller").read_bytes()
    assert cookie["value"].encode() not in raw and b"vl_session" not in raw

    # A later run in this process (a new engine) reuses it: no login at the portal.
    _, auth2, _ = make_engine(handle)
    again = await auth2.ensure("valant", "biller")
    assert again.reused
    result = await auth2.run("valant.session.check", account="biller")
    assert result.outputs["healthy"] is True
    assert _logins(handle, "biller") == logins  # the portal saw no new login

    # (Other processes reusing it: see the parallel-processes test below.)


def test_sessions_cli_lists_checks_and_drops(
    single_session_portal: SandboxHandle, tmp_path: Path, sandbox_mailbox: DovecotServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    handle = single_session_portal
    for key, value in _cli_env(tmp_path / "state",
                               account_secrets(handle, sandbox_mailbox)).items():
        monkeypatch.setenv(key, value)
    runner = CliRunner()
    url = ["--portal-url", handle.url]
    first = runner.invoke(app, ["login", "valant", "--account", "biller", *url])
    assert first.exit_code == 0, first.output
    assert "logged in with valant.login" in first.output
    logins = _logins(handle, "biller")
    ran = runner.invoke(app, ["run", "valant.login", "--account", "biller", *url])
    assert ran.exit_code == 0, ran.output
    assert _logins(handle, "biller") == logins  # `portwright run` reused the saved session
    listed = runner.invoke(app, ["sessions", "list", "valant"])
    assert "biller" in listed.output
    assert runner.invoke(app, ["sessions", "drop", "valant", "--account", "biller"]
                         ).exit_code == 0
    gone = runner.invoke(app, ["sessions", "check", "valant", "--account", "biller", *url])
    assert gone.exit_code == 1
    assert "expired or missing" in gone.output
    # without --account: the default account, the one `run` and `login` use without it
    default = runner.invoke(app, ["sessions", "check", "valant", *url])
    assert default.exit_code == 1 and "valant/default: expired or missing" in default.output
    assert runner.invoke(app, ["sessions", "drop", "valant"]).output == \
        "no saved session valant/default\n"
    assert account("biller").password not in first.output + listed.output


async def test_parallel_processes_do_not_log_each_other_out(
    single_session_portal: SandboxHandle, tmp_path: Path, sandbox_mailbox: DovecotServer,
) -> None:
    """Two processes log in the same account at once. The file lock makes the second wait
    and then reuse the session the first one saved (cross-process reuse), instead of
    logging in again and ending the first one's session."""
    handle = single_session_portal
    user = "scheduler"  # email MFA: a slow login, so the two processes really overlap
    before = _logins(handle, user)
    env = _cli_env(tmp_path / "state", account_secrets(handle, sandbox_mailbox))
    script = ("import asyncio\n"
              "from portwright.auth.workspace_auth import login\n"
              f"r = asyncio.run(login('valant', {user!r}, portal_url={handle.url!r}))\n"
              "print('reused' if r.reused else 'logged in')\n")
    args = [sys.executable, "-c", script]
    procs = [await asyncio.create_subprocess_exec(
        *args, env=env, cwd=ROOT, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE) for _ in range(2)]
    outputs = [await p.communicate() for p in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err.decode()
    texts = sorted(out.decode() for out, _ in outputs)
    assert sum("logged in" in t for t in texts) == 1
    assert sum("reused" in t for t in texts) == 1
    # The portal saw exactly one login and ended no session as "replaced".
    assert _logins(handle, user) == before + 1
    replaced = handle.scalar(
        "SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id"
        " WHERE u.username = ? AND s.ended_reason = 'replaced'", user)
    assert replaced == 0


TASK_FLOW = """\
flow: valant.test.add_task
version: 1
description: Add a task once; a retry first checks whether the first attempt landed.
mutates: true
inputs:
  title: {type: string}
  due: {type: string}
steps:
  - action: goto
    url: "{{ portal.base_url }}/tasks"
  - action: retry
    id: add-task
    attempts: 2
    idempotency:
      steps:
        - action: goto
          url: "{{ portal.base_url }}/tasks"
        - action: extract
          rows: tasks.row
          fields: {title: tasks.row.title}
          into: rows
      landed: "rows | selectattr('title', 'equalto', inputs.title) | list | length > 0"
    steps:
      - action: goto
        url: "{{ portal.base_url }}/tasks"
      - action: fill
        target: tasks.form.title
        value: "{{ inputs.title }}"
      - action: fill
        target: tasks.form.due
        value: "{{ inputs.due }}"
      - action: click
        id: save-task
        target: tasks.form.save
      - action: assert
        id: saved-confirmation
        check: url
        matches: '^[^?]*/tasks\\?flash='
        timeout_ms: 2000
"""


UNGUARDED_FLOW = """\
flow: valant.test.add_task_unguarded
version: 1
description: Add a task with no idempotency check (a retry could write it twice).
mutates: true
inputs:
  title: {type: string}
  due: {type: string}
steps:
  - action: goto
    url: "{{ portal.base_url }}/tasks"
  - action: fill
    target: tasks.form.title
    value: "{{ inputs.title }}"
  - action: fill
    target: tasks.form.due
    value: "{{ inputs.due }}"
  - action: wait_for
    id: save-and-confirm
    response: 're:/tasks\\?flash='
    status: 200
    timeout_ms: 2000
    trigger:
      - action: click
        target: tasks.form.save
"""


@pytest.fixture
def task_workspace(tmp_path: Path) -> Path:
    """The repository's flows and maps plus the two test flows, in a temporary workspace."""
    workspace = tmp_path / "ws"
    shutil.copytree(ROOT / "flows", workspace / "flows")
    shutil.copytree(ROOT / "selectors", workspace / "selectors")
    (workspace / "flows" / "valant" / "test.add_task.yaml").write_text(TASK_FLOW)
    (workspace / "flows" / "valant" / "test.add_task_unguarded.yaml").write_text(
        UNGUARDED_FLOW)
    return workspace


async def _expire_after_the_write_lands(handle: SandboxHandle, context: Any) -> None:
    clock = handle.app.state.auth.clock

    async def land_then_expire(route: Route) -> None:
        # The write reaches the portal and lands; then the session times out before the
        # browser sees the answer (the portal's idle clock jumps past its timeout).
        response = await route.fetch(max_redirects=0)
        clock.advance(handle.config.session_ttl_s + 60)
        await route.fulfill(response=response)

    async def route_tasks(route: Route) -> None:
        if route.request.method == "POST":
            await land_then_expire(route)
        else:
            await route.continue_()

    await context.route(lambda url: url.endswith("/tasks"), route_tasks)


async def test_session_expiring_mid_flow_is_recovered_without_a_duplicate_write(
    single_session_portal: SandboxHandle, make_engine: EngineFactory, tmp_path: Path,
    task_workspace: Path,
) -> None:
    handle = single_session_portal
    engine, auth, _ = make_engine(handle, settings=load_settings(
        flows=task_workspace / "flows", selectors=task_workspace / "selectors",
        state=tmp_path / "state", artifacts=tmp_path / "artifacts"))
    await auth.ensure("valant", "devadmin")
    logins = _logins(handle, "devadmin")
    session = await engine.session("valant", "devadmin")
    await _expire_after_the_write_lands(handle, session.context)
    title = "Call back re: intake packet (auth-test)"
    result = await engine.run("valant.test.add_task", {"title": title, "due": "2026-12-15"},
                              account="devadmin")
    # The write happened exactly once: the retry's idempotency check found it.
    assert handle.scalar("SELECT count(*) FROM tasks WHERE title = ?", title) == 1
    # The expiry was noticed mid-flow and repaired by a new login.
    assert auth.recoveries == 1
    assert _logins(handle, "devadmin") == logins + 1
    add = next(s for s in result.steps if s.id == "add-task")
    assert add.detail.get("landed") is True


async def test_a_write_that_may_have_landed_is_not_repeated_without_a_check(
    single_session_portal: SandboxHandle, make_engine: EngineFactory, tmp_path: Path,
    task_workspace: Path,
) -> None:
    handle = single_session_portal
    engine, auth, _ = make_engine(handle, settings=load_settings(
        flows=task_workspace / "flows", selectors=task_workspace / "selectors",
        state=tmp_path / "state", artifacts=tmp_path / "artifacts"))
    await auth.ensure("valant", "devadmin")
    session = await engine.session("valant", "devadmin")
    await _expire_after_the_write_lands(handle, session.context)
    title = "Fax the ROI form (auth-test, unguarded)"
    with pytest.raises(SessionExpired) as info:
        await engine.run("valant.test.add_task_unguarded",
                         {"title": title, "due": "2026-12-16"}, account="devadmin")
    assert "may have landed" in str(info.value)
    assert handle.scalar("SELECT count(*) FROM tasks WHERE title = ?", title) == 1
    # The session was renewed all the same: the next run needs no login.
    assert auth.recoveries == 1
    check = await engine.run("valant.session.check", account="devadmin")
    assert check.outputs["healthy"] is True
