"""The patient chart: one tab per concern, each its own URL (``?tab=``)."""

from __future__ import annotations

import json
import sqlite3
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse

from portwright_valant.sandbox.auth import require_role
from portwright_valant.sandbox.pages.dependencies import ALL_ROLES, db, state_of
from portwright_valant.sandbox.templating import render

__all__ = ["TABS", "load_patient", "router"]

TABS: tuple[str, ...] = (
    "demographics", "contacts", "insurance", "portal", "assessments", "appointments", "documents",
)
router = APIRouter(dependencies=[Depends(require_role(*ALL_ROLES))])


def load_patient(conn: sqlite3.Connection, patient_id: str) -> sqlite3.Row:
    row: sqlite3.Row | None = conn.execute(
        "SELECT p.*, pv.first_name AS pv_first, pv.last_name AS pv_last, "
        "pv.credential AS pv_credential FROM patients p "
        "LEFT JOIN providers pv ON pv.id = p.primary_provider_id WHERE p.id = ?",
        (patient_id,),
    ).fetchone()
    if row is None:
        raise HTTPException(status_code=404, detail=f"No patient with id {patient_id}")
    return row


def _tab_data(conn: sqlite3.Connection, tab: str, patient_id: str) -> dict[str, Any]:
    if tab == "insurance":
        return {"policies": conn.execute(
            "SELECT i.*, y.name AS payer_name, y.payer_code FROM insurance_policies i "
            "JOIN payers y ON y.id = i.payer_id WHERE i.patient_id = ? "
            "ORDER BY i.rank", (patient_id,)).fetchall()}
    if tab == "assessments":
        rows = conn.execute(
            "SELECT * FROM assessment_results WHERE patient_id = ? ORDER BY completed_on DESC",
            (patient_id,)).fetchall()
        return {"results": rows, "answers": {r["id"]: json.loads(r["answers"]) for r in rows}}
    if tab == "appointments":
        return {"appointments": conn.execute(
            "SELECT a.*, pv.first_name AS pv_first, pv.last_name AS pv_last, "
            "l.name AS location_name FROM appointments a "
            "JOIN providers pv ON pv.id = a.provider_id JOIN locations l ON l.id = a.location_id "
            "WHERE a.patient_id = ? ORDER BY a.start_time DESC", (patient_id,)).fetchall()}
    if tab == "documents":
        return {"documents": conn.execute(
            "SELECT id, kind, title, filename, content_type, size, uploaded_by, uploaded_at "
            "FROM documents WHERE patient_id = ? ORDER BY uploaded_at DESC",
            (patient_id,)).fetchall()}
    return {}


@router.get("/patients/{patient_id}", response_class=HTMLResponse)
def chart(
    request: Request,
    patient_id: str,
    conn: Annotated[sqlite3.Connection, Depends(db)],
    tab: str = "demographics",
) -> HTMLResponse:
    if tab not in TABS:
        raise HTTPException(status_code=404, detail=f"Unknown chart tab {tab!r}")
    patient = load_patient(conn, patient_id)
    return render(request, state_of(request), "chart.html", active_nav="patients",
                  patient=patient, tab=tab, tabs=TABS, errors={}, form={},
                  **_tab_data(conn, tab, patient_id))
