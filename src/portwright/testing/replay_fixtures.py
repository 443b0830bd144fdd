"""pytest fixtures and marker to run flows against their recordings, offline.

::

    async def test_patients(replay_flow):
        outcome = await replay_flow("valant.patients.list", scenario="default",
                                    ui_version="2025.4")
        outcome.assert_matches()          # output == golden, nothing missing
        patients = outcome.result.outputs["Patient"]

    @pytest.mark.replay("valant.patients.list", scenario="default", ui_version="2026.1")
    async def test_marked(replayed):      # the RunResult of that replay
        assert replayed.outputs["Patient"]

Replays share the session's Chromium (the ``browser`` fixture); each gets its own context
with every request routed to the recording, so nothing reaches a network.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser

from portwright.exceptions import ReplayMismatch
from portwright.recording.replayer import (
    ReplayOutcome,
    find_recordings,
    replay_recording,
    what_is_recorded,
)
from portwright.runner.result import RunResult
from portwright.testing.workspace import workspace_settings

__all__ = ["ReplayFlow", "replay_flow", "replayed"]

ReplayFlow = Callable[..., Awaitable[ReplayOutcome]]


@pytest_asyncio.fixture(loop_scope="session")
async def replay_flow(request: pytest.FixtureRequest, browser: Browser) -> ReplayFlow:
    """``await replay_flow(flow, scenario=..., ui_version=...)`` → ``ReplayOutcome``,
    from the recordings of the workspace around the test module (wherever pytest runs)."""
    settings = workspace_settings(Path(request.path))

    async def run(flow: str, scenario: str = "default",
                  ui_version: str | None = None) -> ReplayOutcome:
        found = find_recordings(settings, flow, scenario, ui_version)
        if not found:
            raise ReplayMismatch(
                f"no recording of {flow} (scenario {scenario}"
                + (f", UI {ui_version}" if ui_version else "") + ")",
                hint=f"{what_is_recorded(settings, flow)}; or record it: portwright record "
                f"{flow} --portal-url URL --scenario {scenario}",
            )
        if len(found) > 1:
            versions = ", ".join(p.ui_version for p in found)
            raise ReplayMismatch(f"{flow} {scenario} is recorded for several UI versions "
                                 f"({versions})", hint="pass ui_version=...")
        return await replay_recording(found[0], settings=settings, browser=browser)

    return run


@pytest_asyncio.fixture(loop_scope="session")
async def replayed(request: pytest.FixtureRequest, replay_flow: ReplayFlow) -> RunResult:
    """The RunResult of the recording named by the test's ``@pytest.mark.replay``."""
    marker = request.node.get_closest_marker("replay")
    if marker is None or not marker.args:
        raise pytest.UsageError("the `replayed` fixture needs @pytest.mark.replay(flow, ...)")
    outcome = await replay_flow(*marker.args, **marker.kwargs)
    if outcome.misses:
        outcome.assert_matches()
    if outcome.result is None:
        raise ReplayMismatch(f"{marker.args[0]}: the recording ends in an error "
                             f"({type(outcome.error).__name__}); use replay_flow for it")
    return outcome.result
