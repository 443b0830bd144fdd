"""Benchmark: a TOTP login on the sandbox end to end vs a run that reuses the saved
session (restore + the flow-defined health check only).

Both share one Chromium (the engine's one-browser-per-process design), each run gets a
fresh engine and browser context, as a new process would. Each measured login uses its
own sandbox and state folder, so no TOTP time step is ever reused and no run waits for
another's window; the portal's real clock decides whether a fresh-window wait happens,
as in production. Target: reuse at least 5x faster.

    .venv/bin/python bench/login_reuse.py
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.async_api import async_playwright

from portwright.auth.credentials import CredentialStore, EnvironmentSource
from portwright.auth.portal_auth import PortalAuth
from portwright.browser import launch
from portwright.runner.engine import Engine
from portwright.settings import load_settings
from portwright_valant.sandbox.auth.accounts import account
from portwright_valant.sandbox.config import SandboxConfig
from portwright_valant.sandbox.server import SandboxServer

LOGINS = 5
REUSES = 25

ADMIN = account("admin")
SECRETS = {
    "PORTWRIGHT_SECRET_VALANT_ADMIN_USERNAME": ADMIN.username,
    "PORTWRIGHT_SECRET_VALANT_ADMIN_PASSWORD": ADMIN.password or "",
    "PORTWRIGHT_SECRET_VALANT_ADMIN_TOTP_SECRET": ADMIN.totp_secret or "",
    "PORTWRIGHT_SECRET_VALANT_ADMIN_LOGIN_FLOW": "valant.login.totp",
}


def engine_for(browser: object, url: str, root: Path) -> tuple[Engine, PortalAuth]:
    settings = load_settings(state=root / "state", artifacts=root / "artifacts")
    engine = Engine(settings, browser=browser, trace="off",  # type: ignore[arg-type]
                    secrets=CredentialStore([EnvironmentSource(SECRETS)]),
                    portal_urls={"valant": url})
    return engine, PortalAuth(engine)


async def main() -> None:
    login_ms: list[float] = []
    reuse_ms: list[float] = []
    context_ms: list[float] = []  # new browser context + page: shared by both paths

    async def timed_sign_in(browser: object, url: str, root: Path) -> tuple[float, Any]:
        """A fresh engine signs in (or reuses the saved session): ms and the outcome."""
        engine, auth = engine_for(browser, url, root)
        started = time.perf_counter()
        await engine.session("valant", "admin")
        context_ms.append((time.perf_counter() - started) * 1000)
        outcome = await auth.ensure("valant", "admin")
        elapsed = (time.perf_counter() - started) * 1000
        await engine.close()
        return elapsed, outcome

    async with async_playwright() as pw:
        browser = await launch(pw)
        for i in range(LOGINS):
            server = SandboxServer(SandboxConfig(patients=5)).start()
            root = Path(tempfile.mkdtemp(prefix="bench-login-"))
            try:
                ms, outcome = await timed_sign_in(browser, server.url, root)
                assert outcome.logged_in
                login_ms.append(ms)
                if i == LOGINS - 1:  # later runs reuse the last login's saved session
                    for _ in range(REUSES):
                        ms, outcome = await timed_sign_in(browser, server.url, root)
                        assert outcome.reused
                        reuse_ms.append(ms)
            finally:
                server.stop()
        await browser.close()
    login = statistics.median(login_ms)
    reuse = statistics.median(reuse_ms)
    ctx = statistics.median(context_ms)
    print(f"TOTP login end to end (median of {LOGINS}): {login:8.1f} ms"
          f"   [{', '.join(f'{m:.0f}' for m in login_ms)}]")
    print(f"reused saved session (median of {REUSES}): {reuse:8.1f} ms")
    print(f"reuse is {login / reuse:.1f}x faster end to end (target >= 5x)")
    print(f"  of which a new browser context + page (both paths, not auth): {ctx:.1f} ms;"
          f" without it: login {login - ctx:.1f} ms vs health check {reuse - ctx:.1f} ms"
          f" = {(login - ctx) / max(reuse - ctx, 0.1):.1f}x")


if __name__ == "__main__":
    asyncio.run(main())
