"""The schedule: a day or week of appointments, per provider and/or location."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse

from portwright_valant.sandbox.auth import require_role
from portwright_valant.sandbox.codes import APPOINTMENT_TYPES, ICD10_CODES, PLACES_OF_SERVICE
from portwright_valant.sandbox.pages.dependencies import db, state_of
from portwright_valant.sandbox.seed import anchor_date
from portwright_valant.sandbox.templating import render

__all__ = ["SCHEDULE_ROLES", "form_choices", "router"]

SCHEDULE_ROLES = ("admin", "scheduler", "clinician")
router = APIRouter(dependencies=[Depends(require_role(*SCHEDULE_ROLES))])


def form_choices(conn: sqlite3.Connection) -> dict[str, Any]:
    """Providers and locations for selects on the schedule and the appointment form."""
    return {
        "providers": conn.execute(
            "SELECT id, first_name, last_name, credential, location_id FROM providers "
            "WHERE active = 1 ORDER BY last_name, first_name").fetchall(),
        "locations": conn.execute("SELECT id, name FROM locations ORDER BY name").fetchall(),
    }


@router.get("/schedule", response_class=HTMLResponse)
def schedule(
    request: Request,
    conn: Annotated[sqlite3.Connection, Depends(db)],
    view: str = "day",
    provider: str = "",
    location: str = "",
) -> HTMLResponse:
    state = state_of(request)
    if view not in ("day", "week"):
        raise HTTPException(status_code=400, detail="view must be day or week")
    raw_date = request.query_params.get("date", "")
    try:
        anchor = date.fromisoformat(raw_date) if raw_date else anchor_date(state.config)
    except ValueError:
        raise HTTPException(status_code=400, detail="date must be YYYY-MM-DD") from None
    step = timedelta(days=7 if view == "week" else 1)
    first = anchor - timedelta(days=anchor.weekday()) if view == "week" else anchor
    try:  # the shown days and the previous/next links must all be real dates
        prev_date, next_date = (anchor - step).isoformat(), (anchor + step).isoformat()
        first + step  # the day after the last one shown: the query's upper bound
    except OverflowError:
        raise HTTPException(status_code=400, detail="date is out of range") from None
    days = [first + timedelta(days=i) for i in range(7 if view == "week" else 1)]
    clauses = ["a.start_time >= ?", "a.start_time < ?"]
    args: list[Any] = [f"{days[0].isoformat()}T00:00:00Z",
                       f"{(days[-1] + timedelta(days=1)).isoformat()}T00:00:00Z"]
    if provider:
        clauses.append("a.provider_id = ?")
        args.append(provider)
    if location:
        clauses.append("a.location_id = ?")
        args.append(location)
    rows = conn.execute(
        "SELECT a.*, p.first_name, p.last_name, p.mrn, pv.first_name AS pv_first, "
        "pv.last_name AS pv_last, l.name AS location_name FROM appointments a "
        "JOIN patients p ON p.id = a.patient_id JOIN providers pv ON pv.id = a.provider_id "
        "JOIN locations l ON l.id = a.location_id WHERE " + " AND ".join(clauses)
        + " ORDER BY a.start_time, pv.last_name, a.id", args).fetchall()
    by_day: dict[str, list[sqlite3.Row]] = {d.isoformat(): [] for d in days}
    for row in rows:
        by_day.setdefault(row["start_time"][:10], []).append(row)
    return render(
        request, state, "schedule.html", active_nav="schedule", view=view, anchor=anchor,
        days=days, by_day=by_day, provider=provider, location=location,
        prev_date=prev_date, next_date=next_date,
        total=len(rows), types=APPOINTMENT_TYPES, places=PLACES_OF_SERVICE,
        icd_codes=ICD10_CODES, **form_choices(conn),
    )
