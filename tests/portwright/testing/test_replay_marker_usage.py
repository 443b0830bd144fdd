"""Mistakes in using the replay fixtures are named as such, with the test and the fix.

``@pytest.mark.replay`` with a misspelt keyword (``scenaro=``) used to fail with
replay_flow's bare ``TypeError`` ("unexpected keyword argument"), naming neither the test
nor the keywords the marker takes; the flow given as a keyword (``flow=...``) was refused
as missing. A test awaiting ``replay_flow`` in an event loop of its own (no
``loop_scope="session"``) failed inside Playwright with pytest-asyncio's cryptic
"attached to a different loop", for a browser that lives in the session's loop.

The inner pytest runs on the repository's committed Valant recordings, with pytest's
defaults (each test in its own loop) as an adapter's project has them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[3]  # the repository: flows, maps, recordings

REPLAY = ('"valant.patients.list", scenario="discharged-one-provider", '
          'ui_version="2025.4"')

TEST_MODULE = f"""
import pytest


@pytest.mark.replay("valant.patients.list", scenaro="discharged-one-provider")
async def test_misspelt(replayed):
    pass


@pytest.mark.replay(scenario="discharged-one-provider", ui_version="2025.4")
async def test_no_flow(replayed):
    pass


async def test_no_marker(replayed):
    pass


@pytest.mark.replay(flow="valant.patients.list", scenario="discharged-one-provider",
                    ui_version="2025.4")
async def test_flow_as_a_keyword(replayed):
    assert replayed.outputs["Patient"]


async def test_in_a_loop_of_its_own(replay_flow):
    await replay_flow({REPLAY})


@pytest.mark.asyncio(loop_scope="session")
async def test_in_the_session_loop(replay_flow):
    outcome = await replay_flow({REPLAY})
    outcome.assert_matches()
"""


@pytest.fixture
def outcome(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
            ) -> pytest.RunResult:
    """The inner run: a workspace on the repository's flows, maps and recordings."""
    for name in [n for n in os.environ if n.startswith("PORTWRIGHT_")]:
        monkeypatch.delenv(name)
    pytester.makeini("[pytest]\nasyncio_mode = auto\n"
                     "asyncio_default_fixture_loop_scope = function\n")
    (pytester.path / "portwright.toml").write_text(
        "".join(f'{key} = "{ROOT / key}"\n'
                for key in ("flows", "selectors", "recordings", "adapters"))
        + f'artifacts = "{pytester.path / "artifacts"}"\n')
    pytester.makepyfile(test_marked=TEST_MODULE)
    return pytester.runpytest_subprocess("-p", "no:xdist", "-p", "no:cacheprovider")


def _error_of(result: pytest.RunResult, test: str) -> str:
    """The UsageError line reported for ``test``, as its traceback shows it (the short
    summary repeats it in full or cut to the terminal's width: under ``CI`` pytest does
    not cut it)."""
    lines = [line for line in result.outlines
             if line.startswith("E ") and "UsageError: " in line
             and f"test_marked.py::{test}:" in line]
    assert len(lines) == 1, result.stdout.str()
    return lines[0].split("UsageError: ", 1)[1]


@pytest.mark.browser
def test_replay_mistakes_are_usage_errors_naming_the_test_and_the_fix(
        outcome: pytest.RunResult) -> None:
    outcome.assert_outcomes(passed=2, errors=3, failed=1)
    reported = [line for line in outcome.outlines if line.startswith("E ")]
    assert not [line for line in reported
                if "TypeError" in line or ("loop" in line and "UsageError" not in line)
                ], reported

    misspelt = _error_of(outcome, "test_misspelt")
    assert "unknown keyword 'scenaro'" in misspelt
    assert "accepts: flow, scenario, ui_version" in misspelt

    no_flow = _error_of(outcome, "test_no_flow")
    assert "missing a required argument: 'flow'" in no_flow
    assert "@pytest.mark.replay(flow, scenario='default', ui_version=None)" in no_flow

    assert "needs @pytest.mark.replay(flow, " in _error_of(outcome, "test_no_marker")

    loop = _error_of(outcome, "test_in_a_loop_of_its_own")
    assert "event loop of its own" in loop
    assert '@pytest.mark.asyncio(loop_scope="session")' in loop
    assert 'asyncio_default_test_loop_scope = "session"' in loop
