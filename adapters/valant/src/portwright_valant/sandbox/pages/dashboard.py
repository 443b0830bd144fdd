"""The home page: today's schedule, open tasks and what needs signing or billing."""

from __future__ import annotations

import sqlite3
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from portwright_valant.sandbox.auth import require_role
from portwright_valant.sandbox.pages.dependencies import ALL_ROLES, db, state_of
from portwright_valant.sandbox.seed import anchor_date
from portwright_valant.sandbox.templating import render

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(require_role(*ALL_ROLES))])


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(
    request: Request, conn: Annotated[sqlite3.Connection, Depends(db)]
) -> HTMLResponse:
    state = state_of(request)
    today = anchor_date(state.config).isoformat()
    appointments = conn.execute(
        "SELECT a.id, a.start_time, a.appointment_type, a.status, p.first_name, p.last_name, "
        "pv.last_name AS pv_last FROM appointments a JOIN patients p ON p.id = a.patient_id "
        "JOIN providers pv ON pv.id = a.provider_id WHERE substr(a.start_time, 1, 10) = ? "
        "ORDER BY a.start_time, a.id LIMIT 50",
        (today,),
    ).fetchall()
    counts = {
        "patients": conn.execute(
            "SELECT count(*) FROM patients WHERE status='active'").fetchone()[0],
        "open_tasks": conn.execute("SELECT count(*) FROM tasks WHERE status='open'").fetchone()[0],
        "unsigned_notes": conn.execute(
            "SELECT count(*) FROM progress_notes n WHERE version = (SELECT max(version) FROM "
            "progress_notes m WHERE m.id = n.id) AND signed = 0").fetchone()[0],
        "claims_attention": conn.execute(
            "SELECT count(*) FROM claims WHERE status IN ('draft','denied','rejected')"
        ).fetchone()[0],
    }
    return render(request, state, "dashboard.html", active_nav="dashboard", today=today,
                  appointments=appointments, counts=counts)
