"""Encounters, their progress notes (versions, signatures), treatment plans and export packet."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from portwright_valant.sandbox.auth import require_role
from portwright_valant.sandbox.pages.dependencies import CLINICAL, MAX_PAGE, db, state_of
from portwright_valant.sandbox.templating import render

__all__ = ["router"]

PAGE_SIZE = 25
router = APIRouter(dependencies=[Depends(require_role(*CLINICAL))])

_LATEST_NOTE = (
    "(SELECT n.signed FROM progress_notes n WHERE n.encounter_id = e.id "
    "ORDER BY n.version DESC LIMIT 1)"
)


@router.get("/encounters", response_class=HTMLResponse)
def encounters(
    request: Request,
    conn: Annotated[sqlite3.Connection, Depends(db)],
    patient: str = "",
    signed: str = "",
    kind: Annotated[str, Query(alias="type")] = "",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> HTMLResponse:
    clauses: list[str] = []
    args: list[Any] = []
    if patient:
        clauses.append("e.patient_id = ?")
        args.append(patient)
    if kind:  # the visit type, e.g. Intake (where a treatment plan starts)
        clauses.append("e.encounter_type = ?")
        args.append(kind)
    if signed in ("yes", "no"):
        clauses.append(f"{_LATEST_NOTE} = ?")
        args.append(1 if signed == "yes" else 0)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    total = conn.execute(f"SELECT count(*) FROM encounters e{where}", args).fetchone()[0]
    rows = conn.execute(
        f"SELECT e.*, p.first_name, p.last_name, p.mrn, pv.last_name AS pv_last, "
        f"{_LATEST_NOTE} AS note_signed FROM encounters e JOIN patients p ON p.id = e.patient_id "
        f"JOIN providers pv ON pv.id = e.provider_id{where} "
        "ORDER BY e.encounter_date DESC, e.id LIMIT ? OFFSET ?",
        [*args, PAGE_SIZE, (page - 1) * PAGE_SIZE]).fetchall()
    pages = max(1, -(-total // PAGE_SIZE))
    params = {k: v for k, v in (("patient", patient), ("signed", signed), ("type", kind)) if v}
    return render(request, state_of(request), "encounters/list.html", active_nav="encounters",
                  rows=rows, total=total, page=page, pages=pages, params=params, signed=signed)


def _encounter(conn: sqlite3.Connection, encounter_id: str) -> dict[str, Any]:
    enc = conn.execute(
        "SELECT e.*, p.first_name, p.last_name, p.mrn, p.dob, pv.first_name AS pv_first, "
        "pv.last_name AS pv_last, pv.credential AS pv_credential, a.diagnosis_codes, "
        "a.service_codes, a.start_time AS appointment_start FROM encounters e "
        "JOIN patients p ON p.id = e.patient_id JOIN providers pv ON pv.id = e.provider_id "
        "JOIN appointments a ON a.id = e.appointment_id WHERE e.id = ?", (encounter_id,)).fetchone()
    if enc is None:
        raise HTTPException(status_code=404, detail=f"No encounter with id {encounter_id}")
    notes = conn.execute(
        "SELECT n.*, s.first_name AS signer_first, s.last_name AS signer_last, "
        "s.credential AS signer_credential FROM progress_notes n "
        "LEFT JOIN providers s ON s.id = n.signed_by WHERE n.encounter_id = ? ORDER BY n.version",
        (encounter_id,)).fetchall()
    plans = conn.execute("SELECT * FROM treatment_plans WHERE patient_id = ? "
                         "ORDER BY id, version", (enc["patient_id"],)).fetchall()
    return {"e": enc, "notes": notes, "plans": plans}


@router.get("/encounters/{encounter_id}", response_class=HTMLResponse)
def encounter_detail(
    request: Request, encounter_id: str, conn: Annotated[sqlite3.Connection, Depends(db)]
) -> HTMLResponse:
    return render(request, state_of(request), "encounters/detail.html", active_nav="encounters",
                  **_encounter(conn, encounter_id))


@router.get("/encounters/{encounter_id}/export")
def export_packet(
    encounter_id: str, conn: Annotated[sqlite3.Connection, Depends(db)]
) -> Response:
    """A zip: manifest.json, every note version and every treatment-plan version as text.

    The manifest names the appointment the encounter documents, as the encounter page
    links to it: an auditor matches the visit that was booked (and billed) to its note.
    """
    data = _encounter(conn, encounter_id)
    enc = data["e"]
    buffer = io.BytesIO()
    manifest: dict[str, Any] = {
        "encounterId": enc["id"], "appointmentId": enc["appointment_id"],
        "patientId": enc["patient_id"], "mrn": enc["mrn"],
        "providerId": enc["provider_id"], "encounterDate": enc["encounter_date"],
        "encounterType": enc["encounter_type"],
        "diagnosisCodes": enc["diagnosis_codes"].split(","),
        "serviceCodes": enc["service_codes"].split(","), "files": [],
    }
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for note in data["notes"]:
            name = f"progress-note-v{note['version']}.txt"
            status = f"signed {note['signed_at']}" if note["signed"] else "unsigned"
            archive.writestr(name, f"Progress note v{note['version']} ({status})\n\n"
                                   f"{note['body']}\n")
            manifest["files"].append({"name": name, "kind": "progress_note",
                                      "version": note["version"], "signed": bool(note["signed"])})
        for plan in data["plans"]:
            name = f"treatment-plan-{plan['id']}-v{plan['version']}.txt"
            archive.writestr(name, f"Treatment plan {plan['id']} v{plan['version']}\n"
                                   f"Problem: {plan['problem']}\nGoals: {plan['goals']}\n"
                                   f"Interventions: {plan['interventions']}\n")
            manifest["files"].append({"name": name, "kind": "treatment_plan",
                                      "version": plan["version"], "signed": bool(plan["signed"])})
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    return Response(buffer.getvalue(), media_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="encounter-{encounter_id}-packet.zip"'})


def _goals(stored: str) -> list[str]:
    """The portal keeps a version's goals as one ``; ``-separated text; pages list them."""
    return [goal.strip() for goal in stored.split(";") if goal.strip()]


@router.get("/treatment-plans", response_class=HTMLResponse)
def treatment_plans(
    request: Request, conn: Annotated[sqlite3.Connection, Depends(db)], patient: str
) -> HTMLResponse:
    """A patient's plans, newest version of each first, linking to the version history."""
    person = conn.execute("SELECT id, first_name, last_name, mrn FROM patients WHERE id = ?",
                          (patient,)).fetchone()
    if person is None:
        raise HTTPException(status_code=404, detail=f"No patient with id {patient}")
    plans = conn.execute(
        "SELECT t.*, pv.first_name AS pv_first, pv.last_name AS pv_last, "
        "pv.credential AS pv_credential, (SELECT count(*) FROM treatment_plans c "
        "WHERE c.id = t.id) AS version_count FROM treatment_plans t "
        "JOIN providers pv ON pv.id = t.provider_id WHERE t.patient_id = ? AND t.version = "
        "(SELECT max(m.version) FROM treatment_plans m WHERE m.id = t.id) ORDER BY t.id",
        (patient,)).fetchall()
    return render(request, state_of(request), "encounters/plans.html", active_nav="encounters",
                  person=person, plans=plans)


@router.get("/treatment-plans/{plan_id}", response_class=HTMLResponse)
def treatment_plan(
    request: Request, plan_id: str, conn: Annotated[sqlite3.Connection, Depends(db)]
) -> HTMLResponse:
    versions = conn.execute(
        "SELECT t.*, p.first_name, p.last_name, p.mrn, pv.first_name AS pv_first, "
        "pv.last_name AS pv_last, pv.credential AS pv_credential FROM treatment_plans t "
        "JOIN patients p ON p.id = t.patient_id JOIN providers pv ON pv.id = t.provider_id "
        "WHERE t.id = ? ORDER BY t.version DESC",
        (plan_id,)).fetchall()
    if not versions:
        raise HTTPException(status_code=404, detail=f"No treatment plan with id {plan_id}")
    return render(request, state_of(request), "encounters/plan.html", active_nav="encounters",
                  versions=versions, plan_id=plan_id,
                  goals={v["version"]: _goals(v["goals"]) for v in versions})
