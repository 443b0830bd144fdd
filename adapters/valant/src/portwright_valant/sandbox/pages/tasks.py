"""Staff tasks: list (open/done) and create, with inline validation."""

from __future__ import annotations

import re
import sqlite3
from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from portwright_valant.sandbox.auth import require_role
from portwright_valant.sandbox.csrf import verify_csrf
from portwright_valant.sandbox.ids import new_id, utc_now
from portwright_valant.sandbox.pages.dependencies import ALL_ROLES, db, state_of
from portwright_valant.sandbox.templating import render

__all__ = ["router"]

PRIORITIES = ("low", "normal", "high")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
router = APIRouter(dependencies=[Depends(require_role(*ALL_ROLES))])


def _page(request: Request, conn: sqlite3.Connection, filters: dict[str, str],
          errors: dict[str, str], form: dict[str, str], status_code: int = 200) -> HTMLResponse:
    """The list (filtered by status, assignee and patient, as staff narrow their queue)
    above the new-task form."""
    clauses: list[str] = []
    args: list[str] = []
    if filters.get("status", "open") in ("open", "done"):
        clauses.append("t.status = ?")
        args.append(filters.get("status", "open"))
    if filters.get("assignee"):
        clauses.append("t.assignee_id = ?")
        args.append(filters["assignee"])
    if filters.get("patient"):
        clauses.append("(t.patient_id = ? OR p.mrn = ?)")
        args.extend((filters["patient"], filters["patient"].upper()))
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = conn.execute(
        "SELECT t.*, p.first_name, p.last_name, p.mrn, pv.first_name AS pv_first, "
        "pv.last_name AS pv_last FROM tasks t "
        "LEFT JOIN patients p ON p.id = t.patient_id "
        f"LEFT JOIN providers pv ON pv.id = t.assignee_id{where} ORDER BY t.due_date, t.id",
        args).fetchall()
    providers = conn.execute("SELECT id, first_name, last_name FROM providers "
                             "ORDER BY last_name").fetchall()
    return render(request, state_of(request), "tasks.html", active_nav="tasks", rows=rows,
                  status=filters.get("status", "open"), filters=filters, errors=errors,
                  form=form, providers=providers, priorities=PRIORITIES,
                  status_code=status_code)


@router.get("/tasks", response_class=HTMLResponse)
def tasks(request: Request, conn: Annotated[sqlite3.Connection, Depends(db)],
          status: str = "open", assignee: str = "", patient: str = "") -> HTMLResponse:
    filters = {"status": status, "assignee": assignee, "patient": patient}
    return _page(request, conn, filters, {}, {"priority": "normal"})


@router.post("/tasks", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
async def create_task(request: Request, conn: Annotated[sqlite3.Connection, Depends(db)]
                      ) -> Response:
    raw = await request.form()
    form = {k: str(raw.get(k) or "").strip()
            for k in ("title", "patient", "assignee_id", "due_date", "priority")}
    errors: dict[str, str] = {}
    if not form["title"]:
        errors["title"] = "Title is required"
    elif len(form["title"]) > 200:
        errors["title"] = "Title is limited to 200 characters"
    patient_id = None
    if form["patient"]:
        row = conn.execute("SELECT id FROM patients WHERE id = ? OR mrn = ?",
                           (form["patient"], form["patient"].upper())).fetchone()
        if row is None:
            errors["patient"] = "Patient not found (enter an MRN or patient id)"
        else:
            patient_id = row["id"]
    if form["assignee_id"] and conn.execute("SELECT 1 FROM providers WHERE id = ?",
                                            (form["assignee_id"],)).fetchone() is None:
        errors["assignee_id"] = "Unknown assignee"
    if not form["due_date"]:
        errors["due_date"] = "Due date is required (YYYY-MM-DD)"
    else:
        try:
            # fromisoformat also takes 20261215 and 2026-W50-2: the form wants YYYY-MM-DD
            if not _ISO_DAY.fullmatch(form["due_date"]):
                raise ValueError(form["due_date"])
            date.fromisoformat(form["due_date"])
        except ValueError:
            errors["due_date"] = (f"Due date {form['due_date']} is not a valid date; "
                                  "use YYYY-MM-DD, e.g. 2026-12-15")
    if form["priority"] not in PRIORITIES:
        errors["priority"] = "Choose a priority"
    if errors:
        return _page(request, conn, {"status": "open"}, errors, form, status_code=422)
    state = state_of(request)
    with state.write_lock, conn:
        task_id = new_id(conn, "tsk", "tasks")
        conn.execute("INSERT INTO tasks VALUES (?,?,?,?,?,?,?,?)",
                     (task_id, form["title"], patient_id, form["assignee_id"] or None,
                      form["due_date"], form["priority"], "open", utc_now()))
    return RedirectResponse(f"/tasks?flash={quote('Task created')}", status_code=303)
