"""One long-lived Engine serving many requests at once, as a backend service uses it:
runs cut off by ``engine.close()``, a run cancelled by its caller (a request timeout)
while its session was being made, and requests queued behind a refused sign-in. Real
Chromium and the Valant sandbox; results are checked in the sandbox's own database."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Page, Route

from portwright.engine import Engine, SessionKey
from portwright.exceptions import CredentialError, EngineClosed, LoginFailed
from portwright.settings import load_settings
from portwright_valant.sandbox.auth.accounts import account as seeded_account
from portwright_valant.sandbox.config import SandboxConfig
from portwright_valant.sandbox.server import SandboxServer
from portwright_valant.testing import SandboxHandle, dev_secrets

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def portal() -> Iterator[SandboxHandle]:
    server = SandboxServer(SandboxConfig(ui_version="2026.1", patients=12, seed=5)).start()
    try:
        yield SandboxHandle(server=server, mailbox=None)
    finally:
        server.stop()


def engine_for(portal: SandboxHandle, tmp_path: Path, browser: Browser | None = None,
               **options: object) -> Engine:
    settings = load_settings(ROOT, artifacts=tmp_path / "artifacts")
    return Engine(settings, browser=browser, secrets=dev_secrets(), trace="off",
                  portal_urls={"valant": portal.url}, **options)  # type: ignore[arg-type]


def chromium_browsers_of_this_process() -> int:
    """Chromium browser processes (not their renderers) started by this test process."""
    me, found = os.getpid(), 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if not argv or b"chrom" not in Path(argv[0].decode(errors="replace")).name.encode() \
                or any(a.startswith(b"--type=") for a in argv):
            continue
        pid = int(stat.rsplit(")", 1)[1].split()[1])
        while pid > 1:
            if pid == me:
                found += 1
                break
            try:
                pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                break
    return found


async def test_close_fails_runs_in_flight_clearly_and_leaves_no_browser(
        portal: SandboxHandle, tmp_path: Path) -> None:
    browsers_before = chromium_browsers_of_this_process()
    engine = engine_for(portal, tmp_path)   # its own browser, from the process's pool
    patients = [r[0] for r in portal.query("SELECT id FROM patients ORDER BY id LIMIT 4")]
    try:
        await engine.run("valant.providers.list")   # signed in
        session = await engine.session("valant")
        chart_opened = asyncio.Event()

        async def note_chart(route: Route) -> None:
            chart_opened.set()
            await route.continue_()

        await session.context.route("**/patients/**", note_chart)
        runs = [asyncio.create_task(engine.run("valant.patients.get", {"patient_id": p}))
                for p in patients]
        # one more account: its session does not exist yet when the engine closes
        runs.append(asyncio.create_task(engine.run("valant.providers.list",
                                                   account="second")))
        await chart_opened.wait()        # the first run is on a chart page
        await engine.close()
        outcomes = await asyncio.gather(*runs, return_exceptions=True)
        for outcome in outcomes:
            assert isinstance(outcome, EngineClosed), outcome
            assert "the engine was closed while the run was in flight" in str(outcome)
        # a request arriving after shutdown is refused, and launches no browser
        with pytest.raises(EngineClosed, match="the engine is closed"):
            await engine.run("valant.providers.list")
        assert chromium_browsers_of_this_process() == browsers_before
    finally:
        await engine.close()
    # reopened explicitly, it works again
    async with engine:
        again = await engine.run("valant.patients.get", {"patient_id": patients[0]})
    assert [p.patient_id for p in again.outputs["Patient"]] == [patients[0]]
    assert chromium_browsers_of_this_process() == browsers_before


async def test_a_run_cancelled_while_its_session_is_made_leaves_no_context(
        browser: Browser, portal: SandboxHandle, tmp_path: Path) -> None:
    page_asked = asyncio.Event()
    never = asyncio.Event()
    made: list[BrowserContext] = []

    async def slow_page_factory(target: Browser, key: SessionKey) -> BrowserContext:
        """A real context whose first page opens only when the test says (never): the
        run is parked exactly where a session's page is being opened."""
        context = await target.new_context()
        made.append(context)
        opened = context.new_page

        async def gated_new_page() -> Page:
            page_asked.set()
            await never.wait()
            return await opened()

        context.new_page = gated_new_page  # type: ignore[method-assign]
        return context

    engine = engine_for(portal, tmp_path, browser, context_factory=slow_page_factory)
    try:
        run = asyncio.create_task(engine.run("valant.providers.list"))
        await page_asked.wait()
        run.cancel()
        with pytest.raises(asyncio.CancelledError):
            await run
        assert made and made[0] not in browser.contexts   # closed, not left open
    finally:
        await engine.close()
        for context in made:
            if context in browser.contexts:
                await context.close()
    # the engine is still usable: a new session is made for the next run
    async with engine_for(portal, tmp_path, browser) as fresh:
        result = await fresh.run("valant.providers.list")
    assert sorted(p.provider_id for p in result.outputs["Provider"]) == \
        sorted(r[0] for r in portal.query("SELECT id FROM providers"))


class ChangeableSecrets:
    """The biller's sign-in, with a password the test can change (a rotated secret)."""

    def __init__(self, password: str) -> None:
        self.password = password

    def resolve(self, portal: str, name: str, *, account: str | None = None) -> str:
        if name == "username":
            return "biller"
        if name == "password":
            return self.password
        raise CredentialError(f"no secret {name}")


async def test_runs_queued_behind_a_refused_password_do_not_lock_the_account(
        browser: Browser, portal: SandboxHandle, tmp_path: Path) -> None:
    secrets = ChangeableSecrets("Not-The-Password-1!")
    settings = load_settings(ROOT, artifacts=tmp_path / "artifacts")
    engine = Engine(settings, browser=browser, secrets=secrets, trace="off",
                    portal_urls={"valant": portal.url})

    def sign_ins() -> int:
        return sum(1 for e in portal.request_log if (e.method, e.path) == ("POST", "/login"))

    before = sign_ins()
    try:
        outcomes = await asyncio.gather(
            *(engine.run("valant.providers.list") for _ in range(8)), return_exceptions=True)
        assert all(isinstance(o, LoginFailed) for o in outcomes), outcomes
        assert sign_ins() - before == 1          # one refused sign-in, not eight
        failed, locked_until = portal.query(
            "SELECT failed_attempts, locked_until FROM users WHERE username = 'biller'")[0]
        assert (failed, locked_until) == (1, None)
        # the secret is fixed: the next request signs in, with no restart
        secrets.password = seeded_account("biller").password or ""
        result = await engine.run("valant.providers.list")
    finally:
        await engine.close()
    assert sign_ins() - before == 2
    assert sorted(p.provider_id for p in result.outputs["Provider"]) == \
        sorted(r[0] for r in portal.query("SELECT id FROM providers"))
