"""Awkward data written straight into the sandbox database, read back through the flows in
both UI versions, and compared with the database (plain SQL, never the normalizers).

Free text is whatever a user typed: a dash, ``N/A`` or ``None`` is a title, a note or a
reason, not an empty cell. The portal prints free text verbatim (an empty one as an empty
cell), and HTML shows runs of whitespace as one space, so the only change expected is
whitespace collapsed.

Rows get ids of their own (``*_fid*``) and dates far past the seeded data, so the other
flow tests, which compare with the same database, still pick their own rows.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import Portal

pytestmark = pytest.mark.browser

#: typed text the portal's placeholder cells also use, and text HTML must escape
AWKWARD = ("N/A", "-", "None", "  O'Brien-Nguyễn <José> & \"王\"  ")


def insert(portal: Portal, table: str, row: dict[str, Any]) -> None:
    conn = portal.server.state.connect()
    try:
        conn.execute(f"INSERT INTO {table} ({', '.join(row)}) "
                     f"VALUES ({', '.join('?' * len(row))})", tuple(row.values()))
        conn.commit()
    finally:
        conn.close()


def shown(value: str | None) -> str | None:
    """What a browser shows of a stored text: whitespace runs as one space."""
    return None if value is None else " ".join(value.split()) or None


def patient_without(portal: Portal, table: str) -> str:
    """A patient with no row in ``table`` (the last by id: other tests take the first)."""
    return str(portal.scalar(f"SELECT id FROM patients WHERE id NOT IN "
                             f"(SELECT patient_id FROM {table} WHERE patient_id IS NOT NULL) "
                             "ORDER BY id DESC LIMIT 1"))


async def test_task_titles_that_look_like_empty_cells_are_kept(portal: Portal) -> None:
    patient, mrn = portal.query("SELECT id, mrn FROM patients WHERE id = ?",
                                patient_without(portal, "tasks"))[0]
    assignee = portal.scalar("SELECT id FROM providers ORDER BY id LIMIT 1")
    # done, with one assignee, and no spaces around: test_tasks.py's own picks stay its own
    for n, title in enumerate(AWKWARD):
        insert(portal, "tasks", {
            "id": f"tsk_fid{n}", "title": title.strip(), "patient_id": patient,
            "assignee_id": assignee, "due_date": f"2029-01-0{n + 1}",
            "priority": "low", "status": "done", "created_at": f"2028-12-31T23:5{n}:00Z"})
    result = await portal.run("valant.tasks.list", {"status": "all", "patient": mrn})
    got = {t.task_id: t.to_json_dict() for t in result.outputs["Task"]}
    assert got == {r["id"]: {
        "taskId": r["id"], "title": shown(r["title"]), "description": None,
        "patientId": r["patient_id"], "assigneeId": r["assignee_id"],
        "dueDate": r["due_date"], "priority": r["priority"], "status": r["status"],
        "createdAt": r["created_at"], "completedAt": None,
    } for r in portal.query("SELECT * FROM tasks WHERE patient_id = ?", patient)}


async def test_plan_problem_goals_and_interventions_like_empty_cells_are_kept(
        portal: Portal) -> None:
    patient = patient_without(portal, "treatment_plans")
    provider = portal.scalar("SELECT id FROM providers ORDER BY id LIMIT 1")
    for version, (problem, goals) in enumerate(
            [("N/A", "-; None"), (AWKWARD[3], "Sleep > 6h & PHQ-9 < 10; Talk with mom's \"team\"")],
            start=1):
        insert(portal, "treatment_plans", {
            "id": "tp_fid", "patient_id": patient, "provider_id": provider,
            "version": version, "problem": problem, "goals": goals,
            "interventions": "-" if version == 1 else "- CBT <weekly> & DBT",
            # both signed: test_clinical_records.py picks a patient with an unsigned version
            "signed": 1, "signed_at": f"2029-02-0{version}T12:00:00Z",
            "created_at": f"2029-02-0{version}T09:00:00Z"})
    result = await portal.run("valant.treatment_plans.list", {"patient_id": patient})
    got = {(p.treatment_plan_id, p.version): p.to_json_dict()
           for p in result.outputs["TreatmentPlan"]}
    rows = portal.query("SELECT * FROM treatment_plans WHERE patient_id = ?", patient)
    assert got == {(r["id"], r["version"]): {
        "treatmentPlanId": r["id"], "patientId": r["patient_id"],
        "providerId": r["provider_id"], "version": r["version"], "status": None,
        "problem": shown(r["problem"]), "diagnosisCodes": [],
        "goals": [{"goalId": None, "description": shown(g), "objectives": [],
                   "status": "in_progress", "targetDate": None, "instrument": None,
                   "targetScore": None} for g in r["goals"].split(";")],
        # a "- " bullet is not part of an intervention; a lone dash is what was typed
        "interventions": [r["interventions"].removeprefix("- ")], "startDate": None,
        "reviewDate": None, "signed": bool(r["signed"]), "signedAt": r["signed_at"],
        "createdAt": r["created_at"]} for r in rows}


def appointment_like_a_seeded_one(portal: Portal, **changes: Any) -> dict[str, Any]:
    row: sqlite3.Row = portal.query("SELECT * FROM appointments ORDER BY id LIMIT 1")[0]
    return dict(row) | {"reference_id": None} | changes


async def test_appointment_notes_and_cancel_reasons_that_look_like_empty_cells_are_kept(
        portal: Portal) -> None:
    ids = []
    for n, typed in enumerate(AWKWARD):
        appointment_id = f"apt_fid{n}"
        ids.append(appointment_id)
        day = f"2029-10-{n + 1:02d}"
        insert(portal, "appointments", appointment_like_a_seeded_one(
            portal, id=appointment_id, notes=typed, status="cancelled",
            cancel_reason=AWKWARD[-1 - n], start_time=f"{day}T16:00:00Z",
            end_time=f"{day}T16:45:00Z"))
    for appointment_id in ids:
        result = await portal.run("valant.appointments.get",
                                  {"appointment_id": appointment_id})
        [got] = result.outputs["Appointment"]
        row = portal.query("SELECT * FROM appointments WHERE id = ?", appointment_id)[0]
        assert (got.notes, got.cancel_reason, got.status) == \
            (shown(row["notes"]), shown(row["cancel_reason"]), row["status"])


async def test_a_clinician_with_several_credentials_and_accented_names(portal: Portal) -> None:
    # 2026.1 prints "First Last, PhD, LP" in one cell; 2025.4 has a credential column
    location = portal.scalar("SELECT id FROM locations ORDER BY id LIMIT 1")
    insert(portal, "providers", {
        "id": "prv_fid", "first_name": "José-María", "last_name": "O'Brien",
        "credential": "PhD, LP", "npi": "1234567893", "taxonomy_code": "103T00000X",
        "specialty": "Psychology & <Trauma>", "email": "jm.obrien@cascadia-bh.example",
        "location_id": location, "active": 1})
    result = await portal.run("valant.providers.list")
    [got] = [p.to_json_dict() for p in result.outputs["Provider"] if p.provider_id == "prv_fid"]
    row = portal.query("SELECT * FROM providers WHERE id = 'prv_fid'")[0]
    assert got == {
        "providerId": row["id"], "firstName": row["first_name"], "lastName": row["last_name"],
        "credential": row["credential"], "npi": row["npi"],
        "taxonomyCode": row["taxonomy_code"], "specialty": row["specialty"],
        # 2026.1's clinician list no longer shows e-mail addresses
        "email": row["email"] if portal.version == "2025.4" else None,
        "phone": None, "locationId": row["location_id"], "status": "active"}


async def test_assessments_completed_after_a_time_with_an_offset(portal: Portal) -> None:
    patient = patient_without(portal, "assessment_results")
    provider = portal.scalar("SELECT id FROM providers ORDER BY id LIMIT 1")
    # 00:00 in Denver (MST) is 07:00Z: the 05:00Z result is before it, the 10:00Z one after
    for n, moment in enumerate(("2029-03-01T05:00:00Z", "2029-03-01T10:00:00Z")):
        insert(portal, "assessment_results", {
            "id": f"asr_fid{n}", "patient_id": patient, "provider_id": provider,
            "appointment_id": None, "instrument": "GAD-7", "version": "1.0",
            "score_total": 21, "severity": "severe", "answers": "[3, 3, 3, 3, 3, 3, 3]",
            "completed_on": moment, "collected_via": "portal"})
    result = await portal.run("valant.assessments.list", {
        "patient_id": patient, "completed_after": "2029-03-01T00:00:00-07:00"})
    assert [r.assessment_result_id for r in result.outputs["AssessmentResult"]] == [
        r["id"] for r in portal.query(
            "SELECT id FROM assessment_results WHERE patient_id = ? AND completed_on > ?",
            patient, "2029-03-01T07:00:00Z")]


def copy_of_first(portal: Portal, table: str, **changes: Any) -> dict[str, Any]:
    """A seeded row of ``table`` (the first by id) with ``changes``: every column filled."""
    row: sqlite3.Row = portal.query(f"SELECT * FROM {table} ORDER BY id LIMIT 1")[0]
    return dict(row) | changes


async def test_given_names_and_surnames_of_several_words(portal: Portal) -> None:
    # 2026.1 prints "First Last": "Mary Ann Van Dyke" read as that text alone could be
    # Mary / Ann Van Dyke or Mary Ann Van / Dyke; the database says which
    location = portal.scalar("SELECT id FROM locations ORDER BY id LIMIT 1")
    insert(portal, "providers", {
        "id": "prv_fidnames", "first_name": "Ana Lucía", "last_name": "de la Cruz",
        "credential": "LCSW", "npi": "1987654328", "taxonomy_code": "1041C0700X",
        "specialty": "Clinical Social Work", "email": "ana.delacruz@cascadia-bh.example",
        "location_id": location, "active": 1})
    insert(portal, "patients", copy_of_first(
        portal, "patients", id="pt_fidnames", mrn="MRN-99001", first_name="Mary Ann",
        last_name="Van Dyke", primary_provider_id="prv_fidnames"))
    policy = copy_of_first(portal, "insurance_policies", id="ins_fidnames",
                           patient_id="pt_fidnames", rank="primary")
    insert(portal, "insurance_policies", policy)
    insert(portal, "appointments", appointment_like_a_seeded_one(
        portal, id="apt_fidnames", patient_id="pt_fidnames", provider_id="prv_fidnames",
        status="completed", start_time="2029-11-05T16:00:00Z",
        end_time="2029-11-05T16:45:00Z"))
    insert(portal, "claims", copy_of_first(
        portal, "claims", id="clm_fidnames", appointment_id="apt_fidnames",
        patient_id="pt_fidnames", provider_id="prv_fidnames", payer_id=policy["payer_id"],
        policy_id="ins_fidnames", service_date="2029-11-05"))
    patient = portal.query("SELECT first_name, last_name FROM patients "
                           "WHERE id = 'pt_fidnames'")[0]
    provider = portal.query("SELECT first_name, last_name FROM providers "
                            "WHERE id = 'prv_fidnames'")[0]

    chart = await portal.run("valant.patients.get", {"patient_id": "pt_fidnames"})
    listed = await portal.run("valant.patients.list", {"query": "MRN-99001"})
    for [person] in (chart.outputs["Patient"], listed.outputs["Patient"]):
        assert (person.first_name, person.last_name) == tuple(patient)

    providers = await portal.run("valant.providers.list")
    [clinician] = [p for p in providers.outputs["Provider"] if p.provider_id == "prv_fidnames"]
    assert (clinician.first_name, clinician.last_name) == tuple(provider)

    claim = await portal.run("valant.claims.get", {"claim_id": "clm_fidnames"})
    [billed] = claim.outputs["Claim"]
    assert billed.rendering_provider is not None
    assert (billed.rendering_provider.first_name, billed.rendering_provider.last_name) == \
        tuple(provider)
