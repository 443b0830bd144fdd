"""The pytest plugin's replay fixtures, on the committed Valant recordings.

Ground truth is the sandbox database of the default seed the recordings were made from,
seeded on the day they were made:
ids, statuses and providers are not PHI and survive scrubbing unchanged, names do not.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from portwright.exceptions import PortalValidationError, ReplayMismatch
from portwright.recording.layout import iter_recordings
from portwright.runner.result import RunResult
from portwright.settings import load_settings

pytestmark = pytest.mark.browser


RECORDINGS = Path(__file__).resolve().parents[3] / "recordings" / "valant"


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[Callable[[str, str, str], sqlite3.Connection]]:
    """``seed_db(flow, scenario, ui)``: the sandbox database as it was when that recording
    was made. The seeded schedule moves with the date, so it is seeded on the recording's
    day (``recorded_at``), not today."""
    from portwright_valant.sandbox.config import SandboxConfig
    from portwright_valant.sandbox.database import prepare_database

    opened: dict[date, sqlite3.Connection] = {}

    def on_day_of(flow: str, scenario: str, ui: str) -> sqlite3.Connection:
        meta = json.loads((RECORDINGS / flow.removeprefix("valant.") / ui / scenario
                           / "meta.json").read_text())
        day = date.fromisoformat(meta["recorded_at"][:10])
        if day not in opened:
            folder = tmp_path_factory.mktemp("seed")
            opened[day] = sqlite3.connect(Path(prepare_database(
                SandboxConfig(db_path=folder / "v.db", today=day))))
        return opened[day]

    yield on_day_of
    for conn in opened.values():
        conn.close()


def _expected(conn: sqlite3.Connection, status: str, provider: str) -> dict[str, Any]:
    rows = conn.execute("SELECT id, first_name, last_name FROM patients WHERE status = ? AND "
                        "primary_provider_id = ?", (status, provider)).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


@pytest.mark.replay("valant.patients.list", scenario="discharged-one-provider",
                    ui_version="2025.4")
async def test_marker_gives_the_run_result(
        replayed: RunResult, seed_db: Callable[[str, str, str], sqlite3.Connection]) -> None:
    expected = _expected(seed_db("valant.patients.list", "discharged-one-provider", "2025.4"),
                         "discharged", "prv_0ed904")
    patients = replayed.outputs["Patient"]
    assert {p.patient_id for p in patients} == set(expected)
    for p in patients:
        assert p.status == "discharged" and p.primary_provider_id == "prv_0ed904"
        assert (p.first_name, p.last_name) != expected[p.patient_id]  # pseudonyms
    assert replayed.portal_version == "2025.4"


async def test_replay_flow_fixture_matches_golden_in_the_other_ui(
        replay_flow: Any, seed_db: Callable[[str, str, str], sqlite3.Connection]) -> None:
    outcome = await replay_flow("valant.assessments.list", scenario="one-patient",
                                ui_version="2026.1")
    outcome.assert_matches()
    rows = seed_db("valant.assessments.list", "one-patient", "2026.1").execute(
        "SELECT id, score_total FROM assessment_results WHERE patient_id = 'pt_1bf702'"
    ).fetchall()
    results = outcome.result.outputs["AssessmentResult"]
    assert {(r.assessment_result_id, r.score_total) for r in results} == set(rows)
    assert outcome.misses == [] and outcome.served


async def test_validation_error_scenario_replays_the_portal_messages(replay_flow: Any
                                                                     ) -> None:
    outcome = await replay_flow("valant.appointments.create", scenario="validation-error",
                                ui_version="2026.1")
    assert isinstance(outcome.error, PortalValidationError)
    assert any("end_time" in m for m in outcome.error.messages)
    outcome.assert_matches()


async def test_unknown_scenario_names_the_recorded_ones_and_how_to_record_it(
        replay_flow: Any) -> None:
    with pytest.raises(ReplayMismatch) as err:
        await replay_flow("valant.patients.list", scenario="no-such-scenario")
    assert "portwright record valant.patients.list" in str(err.value)
    recorded = {p.scenario for p in iter_recordings(load_settings().path("recordings"))
                if p.flow == "valant.patients.list"}
    assert recorded and all(f"{s} (2025.4, 2026.1)" in str(err.value) for s in recorded)
