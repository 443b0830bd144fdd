"""Progress notes with every version and signer, and treatment plans with their care
goals, in both UI versions, compared with the sandbox database (plain SQL)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import Portal

pytestmark = pytest.mark.browser


def expected_notes(portal: Portal, encounter_ids: list[str]) -> dict[str, Any]:
    notes: dict[str, Any] = {}
    for encounter_id in encounter_ids:
        rows = portal.query(
            "SELECT n.*, e.patient_id FROM progress_notes n JOIN encounters e "
            "ON e.id = n.encounter_id WHERE n.encounter_id = ? ORDER BY n.version",
            encounter_id)
        latest = rows[-1]
        notes[rows[0]["id"]] = {
            "noteId": rows[0]["id"], "encounterId": encounter_id,
            "patientId": rows[0]["patient_id"], "noteType": "progress",
            "versions": [{"version": r["version"], "body": r["body"],
                          "createdAt": r["created_at"], "signed": bool(r["signed"]),
                          "signedAt": r["signed_at"], "signedBy": r["signed_by"]}
                         for r in rows],
            "signed": bool(latest["signed"]), "signedAt": latest["signed_at"],
            "signedBy": latest["signed_by"]}
    return notes


async def test_notes_of_a_patient_with_every_version_and_signer(portal: Portal) -> None:
    # the patient whose notes include an amended (second) version and an unsigned one
    patient = portal.query(
        "SELECT e.patient_id FROM encounters e JOIN progress_notes n ON n.encounter_id = e.id "
        "GROUP BY e.patient_id ORDER BY max(n.version) DESC, min(n.signed) ASC, count(*) DESC, "
        "e.patient_id LIMIT 1")[0][0]
    encounters = [r[0] for r in portal.query(
        "SELECT DISTINCT encounter_id FROM progress_notes n JOIN encounters e "
        "ON e.id = n.encounter_id WHERE e.patient_id = ?", patient)]
    want = expected_notes(portal, encounters)
    assert any(len(n["versions"]) > 1 for n in want.values())
    result = await portal.run("valant.notes.list", {"patient_id": patient})
    assert {n.note_id: n.to_json_dict() for n in result.outputs["ClinicalNote"]} == want


async def test_an_unsigned_note_of_one_encounter(portal: Portal) -> None:
    encounter = portal.query(
        "SELECT encounter_id FROM progress_notes GROUP BY encounter_id "
        "HAVING max(signed) = 0 ORDER BY encounter_id LIMIT 1")[0][0]
    result = await portal.run("valant.notes.list", {"encounter_id": encounter})
    got = {n.note_id: n.to_json_dict() for n in result.outputs["ClinicalNote"]}
    assert got == expected_notes(portal, [encounter])
    assert [n["signedBy"] for n in got.values()] == [None]


async def test_treatment_plans_of_a_patient_with_versions_and_goals(portal: Portal) -> None:
    patient = portal.query(
        "SELECT patient_id FROM treatment_plans GROUP BY patient_id "
        "ORDER BY max(version) DESC, min(signed) ASC, patient_id LIMIT 1")[0][0]
    rows = portal.query("SELECT * FROM treatment_plans WHERE patient_id = ?", patient)
    assert any(r["version"] > 1 for r in rows)
    result = await portal.run("valant.treatment_plans.list", {"patient_id": patient})
    got = {(p.treatment_plan_id, p.version): p.to_json_dict()
           for p in result.outputs["TreatmentPlan"]}
    assert got == {(r["id"], r["version"]): {
        "treatmentPlanId": r["id"], "patientId": r["patient_id"],
        "providerId": r["provider_id"], "version": r["version"], "status": None,
        "problem": r["problem"], "diagnosisCodes": [],
        "goals": [{"goalId": None, "description": g.strip(), "objectives": [],
                   "status": "in_progress", "targetDate": None, "instrument": None,
                   "targetScore": None} for g in r["goals"].split(";")],
        "interventions": [r["interventions"]], "startDate": None, "reviewDate": None,
        "signed": bool(r["signed"]), "signedAt": r["signed_at"],
        "createdAt": r["created_at"]} for r in rows}


async def test_a_patient_without_a_plan_has_none(portal: Portal) -> None:
    patient = portal.query(
        "SELECT id FROM patients WHERE id NOT IN (SELECT patient_id FROM treatment_plans) "
        "ORDER BY id LIMIT 1")[0][0]
    result = await portal.run("valant.treatment_plans.list", {"patient_id": patient})
    assert result.outputs["TreatmentPlan"] == []
