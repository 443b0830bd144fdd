"""Appointment detail, the new/edit form (with inline validation), reschedule and cancel.

Every write is one transaction under the sandbox's write lock: a post either creates
or changes the appointment completely, or (with errors) leaves the database untouched.
The appointment's status is read under that lock too, so a change or cancel decides on
the status it writes over, never on one a concurrent request has changed since.
"""

from __future__ import annotations

import sqlite3
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from portwright_valant.sandbox.appointment_form import (
    FORM_FIELDS,
    AppointmentValues,
    validate_appointment,
)
from portwright_valant.sandbox.auth import require_role
from portwright_valant.sandbox.codes import APPOINTMENT_TYPES, ICD10_CODES, PLACES_OF_SERVICE
from portwright_valant.sandbox.csrf import verify_csrf
from portwright_valant.sandbox.ids import new_id, utc_now
from portwright_valant.sandbox.pages.dependencies import FRONT_DESK, db, state_of
from portwright_valant.sandbox.pages.schedule import SCHEDULE_ROLES, form_choices
from portwright_valant.sandbox.seed.appointments import TELEHEALTH_BASE
from portwright_valant.sandbox.templating import render

__all__ = ["router"]

router = APIRouter()
_view = Depends(require_role(*SCHEDULE_ROLES))
_edit = Depends(require_role(*FRONT_DESK))


def _load(conn: sqlite3.Connection, appointment_id: str) -> sqlite3.Row:
    row: sqlite3.Row | None = conn.execute(
        "SELECT a.*, p.first_name, p.last_name, p.mrn, p.dob, pv.first_name AS pv_first, "
        "pv.last_name AS pv_last, pv.credential AS pv_credential, l.name AS location_name, "
        "(SELECT id FROM claims c WHERE c.appointment_id = a.id) AS claim_id, "
        "(SELECT id FROM encounters e WHERE e.appointment_id = a.id) AS encounter_id "
        "FROM appointments a JOIN patients p ON p.id = a.patient_id "
        "JOIN providers pv ON pv.id = a.provider_id JOIN locations l ON l.id = a.location_id "
        "WHERE a.id = ?", (appointment_id,)).fetchone()
    if row is None:
        raise HTTPException(status_code=404, detail=f"No appointment with id {appointment_id}")
    return row


def _patient_label(conn: sqlite3.Connection, patient_id: str) -> str:
    row = conn.execute("SELECT first_name, last_name, mrn, dob FROM patients WHERE id = ?",
                       (patient_id,)).fetchone()
    if row is None:
        return ""
    return f"{row['last_name']}, {row['first_name']} ({row['mrn']}, DOB {row['dob']})"


def _form_page(
    request: Request, conn: sqlite3.Connection, values: dict[str, str], errors: dict[str, str],
    appointment: sqlite3.Row | None, status_code: int = 200,
) -> HTMLResponse:
    if not values.get("patient_query") and values.get("patient_id"):
        values["patient_query"] = _patient_label(conn, values["patient_id"])
    return render(
        request, state_of(request), "appointments/form.html", active_nav="schedule",
        values=values, errors=errors, appointment=appointment,
        action=f"/appointments/{appointment['id']}" if appointment else "/appointments",
        types=APPOINTMENT_TYPES, places=PLACES_OF_SERVICE, icd_codes=ICD10_CODES,
        status_code=status_code, **form_choices(conn),
    )


async def _form_values(request: Request) -> dict[str, str]:
    form = await request.form()
    return {name: str(form.get(name) or "") for name in FORM_FIELDS}


@router.get("/appointments", response_class=HTMLResponse, dependencies=[_view])
def list_appointments(
    request: Request,
    conn: Annotated[sqlite3.Connection, Depends(db)],
    reference: str = "",
    patient: str = "",
    status: str = "",
) -> HTMLResponse:
    """Lookup by reference id / patient / status (how a retried submission finds its work)."""
    clauses, args = [], []
    for column, value in (("a.reference_id", reference), ("a.patient_id", patient),
                          ("a.status", status)):
        if value:
            clauses.append(f"{column} = ?")
            args.append(value)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = conn.execute(
        "SELECT a.*, p.first_name, p.last_name, pv.last_name AS pv_last FROM appointments a "
        "JOIN patients p ON p.id = a.patient_id JOIN providers pv ON pv.id = a.provider_id"
        + where + " ORDER BY a.start_time DESC, a.id LIMIT 100", args).fetchall()
    return render(request, state_of(request), "appointments/list.html", active_nav="schedule",
                  rows=rows, reference=reference, patient=patient, status=status)


@router.get("/appointments/new", response_class=HTMLResponse, dependencies=[_edit])
def new_appointment(
    request: Request, conn: Annotated[sqlite3.Connection, Depends(db)]
) -> HTMLResponse:
    values = {name: request.query_params.get(name, "") for name in FORM_FIELDS}
    values.setdefault("place_of_service", "11")
    values["place_of_service"] = values["place_of_service"] or "11"
    values["reminder_email"] = values["reminder_email"] or "on"
    return _form_page(request, conn, values, {}, None)


def _insert(conn: sqlite3.Connection, values: AppointmentValues) -> str:
    apt_id = new_id(conn, "apt", "appointments")
    now = utc_now()
    conn.execute(
        "INSERT INTO appointments VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (apt_id, values.patient_id, values.provider_id, values.location_id,
         values.appointment_type, values.service_codes, values.diagnosis_codes,
         values.start_time, values.end_time, values.place_of_service, int(values.telehealth),
         f"{TELEHEALTH_BASE}/{apt_id}" if values.telehealth else None,
         int(values.reminder_email), int(values.reminder_sms), values.notes,
         values.reference_id, "scheduled", None, now, now))
    return apt_id


@router.post("/appointments", response_class=HTMLResponse,
             dependencies=[_edit, Depends(verify_csrf)])
async def create_appointment(
    request: Request, conn: Annotated[sqlite3.Connection, Depends(db)]
) -> Response:
    raw = await _form_values(request)
    state = state_of(request)
    with state.write_lock:
        values, errors = validate_appointment(conn, raw)
        if values is not None:
            with conn:
                apt_id = _insert(conn, values)
    if values is None:
        return _form_page(request, conn, raw, errors, None, status_code=422)
    return RedirectResponse(f"/appointments/{apt_id}?flash={quote('Appointment created')}",
                            status_code=303)


@router.get("/appointments/{appointment_id}", response_class=HTMLResponse,
            dependencies=[_view])
def appointment_detail(
    request: Request, appointment_id: str, conn: Annotated[sqlite3.Connection, Depends(db)]
) -> HTMLResponse:
    appointment = _load(conn, appointment_id)
    return render(request, state_of(request), "appointments/detail.html", active_nav="schedule",
                  a=appointment, errors={}, types=APPOINTMENT_TYPES, places=PLACES_OF_SERVICE)


@router.get("/appointments/{appointment_id}/edit", response_class=HTMLResponse,
            dependencies=[_edit])
def edit_appointment(
    request: Request, appointment_id: str, conn: Annotated[sqlite3.Connection, Depends(db)]
) -> HTMLResponse:
    a = _load(conn, appointment_id)
    if a["status"] in ("cancelled", "completed"):
        raise HTTPException(status_code=409, detail=f"A {a['status']} appointment cannot change")
    values: dict[str, Any] = {
        "patient_id": a["patient_id"], "patient_query": "", "provider_id": a["provider_id"],
        "location_id": a["location_id"], "appointment_type": a["appointment_type"],
        "service_codes": a["service_codes"].replace(",", ", "),
        "diagnosis_codes": a["diagnosis_codes"].replace(",", ", "),
        "date": a["start_time"][:10], "start_time": a["start_time"][11:16],
        "end_time": a["end_time"][11:16], "place_of_service": a["place_of_service"],
        "telehealth": "on" if a["telehealth"] else "",
        "reminder_email": "on" if a["reminder_email"] else "",
        "reminder_sms": "on" if a["reminder_sms"] else "", "notes": a["notes"],
        "reference_id": a["reference_id"] or "",
    }
    return _form_page(request, conn, values, {}, a)


@router.post("/appointments/{appointment_id}", response_class=HTMLResponse,
             dependencies=[_edit, Depends(verify_csrf)])
async def update_appointment(
    request: Request, appointment_id: str, conn: Annotated[sqlite3.Connection, Depends(db)]
) -> Response:
    raw = await _form_values(request)
    state = state_of(request)
    with state.write_lock:
        # status checked under the lock: a cancel that committed meanwhile is seen
        a = _load(conn, appointment_id)
        if a["status"] in ("cancelled", "completed"):
            raise HTTPException(status_code=409,
                                detail=f"A {a['status']} appointment cannot change")
        values, errors = validate_appointment(conn, raw, appointment_id)
        if values is not None:
            with conn:
                conn.execute(
                    "UPDATE appointments SET patient_id=?, provider_id=?, location_id=?, "
                    "appointment_type=?, service_codes=?, diagnosis_codes=?, start_time=?, "
                    "end_time=?, place_of_service=?, telehealth=?, telehealth_link=?, "
                    "reminder_email=?, reminder_sms=?, notes=?, reference_id=?, updated_at=? "
                    "WHERE id = ?",
                    (values.patient_id, values.provider_id, values.location_id,
                     values.appointment_type, values.service_codes, values.diagnosis_codes,
                     values.start_time, values.end_time, values.place_of_service,
                     int(values.telehealth),
                     f"{TELEHEALTH_BASE}/{appointment_id}" if values.telehealth else None,
                     int(values.reminder_email), int(values.reminder_sms), values.notes,
                     values.reference_id, utc_now(), appointment_id))
    if values is None:
        return _form_page(request, conn, raw, errors, a, status_code=422)
    return RedirectResponse(
        f"/appointments/{appointment_id}?flash={quote('Appointment updated')}", status_code=303)


@router.post("/appointments/{appointment_id}/cancel", response_class=HTMLResponse,
             dependencies=[_edit, Depends(verify_csrf)])
async def cancel_appointment(
    request: Request, appointment_id: str, conn: Annotated[sqlite3.Connection, Depends(db)]
) -> Response:
    form = await request.form()
    reason = str(form.get("cancel_reason") or "").strip()
    state = state_of(request)
    errors: dict[str, str] = {}
    with state.write_lock:
        # checked and cancelled in one step: of two concurrent cancels, the second sees
        # the first one's cancellation and is refused, as the real portal refuses it
        a = _load(conn, appointment_id)
        if a["status"] not in ("scheduled", "checked-in"):
            errors["cancel_reason"] = f"A {a['status']} appointment cannot be cancelled"
        elif not reason:
            errors["cancel_reason"] = "A cancellation reason is required"
        else:
            with conn:
                conn.execute("UPDATE appointments SET status='cancelled', cancel_reason=?, "
                             "updated_at=? WHERE id = ?", (reason, utc_now(), appointment_id))
    if errors:
        return render(request, state, "appointments/detail.html", active_nav="schedule", a=a,
                      errors=errors, types=APPOINTMENT_TYPES, places=PLACES_OF_SERVICE,
                      status_code=422)
    return RedirectResponse(
        f"/appointments/{appointment_id}?flash={quote('Appointment cancelled')}", status_code=303)
