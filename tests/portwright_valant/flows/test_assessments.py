"""Assessment results with item answers, in both UI versions, against the sandbox database.

Scores are recomputed here from the stored item answers with the published rules
(plain sums; PHQ-9 bands 5/10/15/20, GAD-7 5/10/15), not with portwright's instruments.
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import Portal

pytestmark = pytest.mark.browser

PREFIX = {"PHQ-9": "phq9", "GAD-7": "gad7", "PCL-5": "pcl5"}
BANDS = {
    "PHQ-9": ((20, "severe"), (15, "moderately_severe"), (10, "moderate"), (5, "mild"),
              (0, "none_minimal")),
    "GAD-7": ((15, "severe"), (10, "moderate"), (5, "mild"), (0, "minimal")),
}


def expected(portal: Portal, row: sqlite3.Row) -> dict[str, Any]:
    answers = json.loads(row["answers"])
    total = sum(answers)
    baseline = portal.query(
        "SELECT score_total FROM assessment_results WHERE patient_id = ? AND instrument = ? "
        "ORDER BY completed_on, id LIMIT 1", row["patient_id"], row["instrument"])[0][0]
    return {
        "assessmentResultId": row["id"], "patientId": row["patient_id"],
        "instrument": row["instrument"], "version": row["version"], "scoreTotal": total,
        "answers": [{"questionId": f"{PREFIX[row['instrument']]}_q{i}", "value": v}
                    for i, v in enumerate(answers, start=1)],
        "baselineScore": baseline, "deltaFromBaseline": total - baseline,
        "completedOn": row["completed_on"], "collectedVia": row["collected_via"],
        "providerId": row["provider_id"], "appointmentId": row["appointment_id"],
        "reportedScoreTotal": row["score_total"],
    }


def compare(portal: Portal, results: list[Any], rows: list[sqlite3.Row]) -> None:
    assert rows, "the filter must match something, or the test proves nothing"
    got = {r.assessment_result_id: r.to_json_dict() for r in results}
    assert set(got) == {r["id"] for r in rows}
    for row in rows:
        item = got[row["id"]]
        want = expected(portal, row)
        assert {k: item[k] for k in want} == want
        band = next((label for low, label in BANDS.get(row["instrument"], ()) if
                     want["scoreTotal"] >= low), None)
        if band is not None:
            assert item["severity"].replace("-", "_") == band
        assert "total_mismatch" not in item["flags"]  # the sandbox's totals are honest


async def test_results_of_one_patient_with_answers_and_baseline(portal: Portal) -> None:
    patient = portal.query("SELECT patient_id FROM assessment_results GROUP BY patient_id "
                           "ORDER BY count(*) DESC, patient_id LIMIT 1")[0][0]
    result = await portal.run("valant.assessments.list", {"patient_id": patient})
    compare(portal, result.outputs["AssessmentResult"],
            portal.query("SELECT * FROM assessment_results WHERE patient_id = ?", patient))


async def test_filters_instrument_completed_after_and_provider(portal: Portal) -> None:
    provider = portal.query("SELECT provider_id FROM assessment_results WHERE instrument = "
                            "'PHQ-9' GROUP BY provider_id ORDER BY count(*) DESC LIMIT 1")[0][0]
    row = portal.query("SELECT provider_id, completed_on FROM assessment_results WHERE "
                       "instrument = 'PHQ-9' AND provider_id = ? ORDER BY completed_on DESC "
                       "LIMIT 1 OFFSET 1", provider)[0]
    result = await portal.run("valant.assessments.list", {
        "instrument": "PHQ-9", "completed_after": row["completed_on"],
        "provider_id": row["provider_id"]})
    compare(portal, result.outputs["AssessmentResult"], portal.query(
        "SELECT * FROM assessment_results WHERE instrument = 'PHQ-9' AND completed_on > ? "
        "AND provider_id = ?", row["completed_on"], row["provider_id"]))
