"""Encounters and their audit export packets, in both UI versions, against the database."""

from __future__ import annotations

import json
import zipfile
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Portal

pytestmark = pytest.mark.browser


async def test_encounters_of_a_patient_with_their_export_packets(portal: Portal) -> None:
    patient = portal.query(
        "SELECT e.patient_id FROM encounters e JOIN progress_notes n ON n.encounter_id = e.id "
        "GROUP BY e.patient_id ORDER BY count(DISTINCT n.version) DESC, count(*) DESC, "
        "e.patient_id LIMIT 1")[0][0]
    rows = portal.query("SELECT * FROM encounters WHERE patient_id = ?", patient)
    result = await portal.run("valant.encounters.list", {"patient_id": patient})
    got = {e.encounter_id: e.to_json_dict() for e in result.outputs["Encounter"]}
    assert got == {r["id"]: {
        "encounterId": r["id"], "appointmentId": r["appointment_id"],
        "patientId": r["patient_id"], "providerId": r["provider_id"], "locationId": None,
        "encounterDate": r["encounter_date"], "encounterType": r["encounter_type"],
        "status": None} for r in rows}

    packets = {p["filename"]: p["path"] for p in result.outputs["packets"]}
    assert len(packets) == len(rows)
    for row in rows:
        with zipfile.ZipFile(packets[f"encounter-{row['id']}-packet.zip"]) as archive:
            manifest = json.loads(archive.read("manifest.json"))
            notes = portal.query("SELECT * FROM progress_notes WHERE encounter_id = ? "
                                 "ORDER BY version", row["id"])
            files = [f for f in manifest["files"] if f["kind"] == "progress_note"]
            assert [(f["version"], f["signed"]) for f in files] == \
                [(n["version"], bool(n["signed"])) for n in notes]
            for note in notes:
                text = archive.read(f"progress-note-v{note['version']}.txt").decode()
                assert note["body"] in text
            plans = portal.query("SELECT t.* FROM treatment_plans t WHERE t.patient_id = ?",
                                 row["patient_id"])
            assert len([f for f in manifest["files"] if f["kind"] == "treatment_plan"]) == \
                len(plans)
