"""Valant flows against real sandboxes: one small portal per UI version, one engine each.

Every flow test runs in both UI versions (the ``portal`` fixture is parametrized) and
compares what the flow returned with the sandbox's SQLite database, read here with plain
SQL: the expected values never pass through the adapter's normalizers.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Route

from portwright.engine import Engine, RunResult
from portwright.settings import load_settings
from portwright_valant.sandbox.config import SandboxConfig
from portwright_valant.sandbox.server import SandboxServer
from portwright_valant.testing import SandboxHandle, dev_secrets

ROOT = Path(__file__).resolve().parents[3]
UI_VERSIONS = ("2025.4", "2026.1")
#: 27 patients: the list spans two pages in both UI versions (pages of 25)
PATIENTS = 27


@dataclass(kw_only=True)
class Portal(SandboxHandle):
    """A running sandbox of one UI version (queried like any ``SandboxHandle``) and an
    engine signed in to it."""

    version: str
    engine: Engine
    faults_seen: list[str | None] = field(default_factory=list)

    async def run(self, flow: str, inputs: Mapping[str, Any] | None = None) -> RunResult:
        return await self.engine.run(flow, dict(inputs or {}))

    def fault_rng(self, when: str = "after") -> random.Random:
        """A generator whose first injected error strikes ``when`` (``before`` or
        ``after`` the handler ran)."""
        for seed in range(1000):
            probe = random.Random(seed)
            probe.random()
            if probe.choice(("before", "after")) == when:
                return random.Random(seed)
        raise AssertionError(f"no seed gives a {when!r} fault")

    async def run_losing_first_post(self, flow: str, inputs: Mapping[str, Any],
                                    url_glob: str, *, when: str = "after",
                                    ) -> tuple[RunResult, list[str | None]]:
        """Run ``flow`` while the first POST to ``url_glob`` is answered by an injected
        server error, struck ``after`` the portal wrote (the client cannot tell whether it
        landed) or ``before`` (nothing was written). Returns the result and the
        ``X-Sandbox-Fault`` values seen (``[when]``); a failing run raises, and the values
        are then in ``self.faults_seen``."""
        faults = self.server.app.state.faults
        seen: list[str | None] = []
        self.faults_seen = seen

        async def lose_response(route: Route) -> None:
            if route.request.method != "POST" or seen:
                await route.continue_()
                return
            faults.rng = self.fault_rng(when)
            faults.set("error_rate=1")
            try:
                response = await route.fetch()
            finally:
                faults.set("")
            seen.append(response.headers.get("x-sandbox-fault"))
            await route.fulfill(response=response)

        session = await self.engine.session("valant")
        await session.context.route(url_glob, lose_response)
        try:
            return await self.run(flow, inputs), seen
        finally:
            await session.context.unroute(url_glob, lose_response)


@pytest_asyncio.fixture(scope="session", loop_scope="session", params=UI_VERSIONS)
async def portal(request: pytest.FixtureRequest, browser: Browser,
                 tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Portal]:
    version: str = request.param
    config = SandboxConfig(ui_version=version, patients=PATIENTS, seed=11)
    server = SandboxServer(config).start()
    settings = load_settings(ROOT, artifacts=tmp_path_factory.mktemp("artifacts"))
    engine = Engine(
        settings, browser=browser, trace="off", portal_urls={"valant": server.url},
        secrets=dev_secrets(),
    )
    try:
        yield Portal(server=server, mailbox=None, version=version, engine=engine)
    finally:
        await engine.close()
        server.stop()
