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
with every request routed to the recording, so nothing reaches a network. A test awaiting
``replay_flow`` must therefore run in the session's event loop, the browser's:
``@pytest.mark.asyncio(loop_scope="session")``, or ``asyncio_default_test_loop_scope =
"session"`` in the pytest configuration.
"""

from __future__ import annotations

import asyncio
import inspect
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
    browser_loop = asyncio.get_running_loop()  # this fixture runs in the session's loop
    test = request.node.nodeid

    async def run(flow: str, scenario: str = "default",
                  ui_version: str | None = None) -> ReplayOutcome:
        if asyncio.get_running_loop() is not browser_loop:
            raise _other_loop(test)
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


def _other_loop(test: str) -> pytest.UsageError:
    """Playwright's objects belong to the loop that made them: awaited from another
    loop, they fail with pytest-asyncio's "attached to a different loop", which names
    neither the cause (a test in its own, function-scoped loop) nor the fix."""
    return pytest.UsageError(
        f"{test}: replay_flow replays in the session's event loop (the browser's), but "
        "the test runs in an event loop of its own; mark it "
        "@pytest.mark.asyncio(loop_scope=\"session\") (for a whole module: pytestmark = "
        "pytest.mark.asyncio(loop_scope=\"session\")), or set "
        "asyncio_default_test_loop_scope = \"session\" in the pytest configuration")


def _replay_arguments(test: str, marker: pytest.Mark | None,
                      replay: ReplayFlow) -> inspect.BoundArguments:
    """The marker's arguments bound to ``replay_flow``'s parameters (read from its
    signature, so the accepted keywords cannot drift from it); a mistake is a
    ``UsageError`` naming the test, what is wrong and what is accepted, where it was
    replay_flow's bare ``TypeError``."""
    signature = inspect.signature(replay)
    accepted = ", ".join(signature.parameters)
    usage = "@pytest.mark.replay({})".format(", ".join(
        name if p.default is p.empty else f"{name}={p.default!r}"
        for name, p in signature.parameters.items()))
    if marker is None:
        raise pytest.UsageError(f"{test}: the `replayed` fixture needs {usage}")
    unknown = [name for name in marker.kwargs if name not in signature.parameters]
    if unknown:
        raise pytest.UsageError(
            f"{test}: @pytest.mark.replay got the unknown keyword "
            f"{', '.join(repr(name) for name in unknown)}; it accepts: {accepted}")
    try:
        return signature.bind(*marker.args, **marker.kwargs)
    except TypeError as exc:  # no flow, or too many positional arguments
        raise pytest.UsageError(f"{test}: @pytest.mark.replay: {exc}; it takes {usage}, "
                                f"keywords accepted: {accepted}") from None


@pytest_asyncio.fixture(loop_scope="session")
async def replayed(request: pytest.FixtureRequest, replay_flow: ReplayFlow) -> RunResult:
    """The RunResult of the recording named by the test's ``@pytest.mark.replay``."""
    arguments = _replay_arguments(request.node.nodeid, request.node.get_closest_marker(
        "replay"), replay_flow)
    outcome = await replay_flow(*arguments.args, **arguments.kwargs)
    if outcome.misses:
        outcome.assert_matches()
    if outcome.result is None:
        raise ReplayMismatch(f"{arguments.arguments['flow']}: the recording ends in an "
                             f"error ({type(outcome.error).__name__}); use replay_flow "
                             "for it")
    return outcome.result
