"""Claims: list, detail, create from a completed appointment, submit, and 837P upload."""

from __future__ import annotations

import sqlite3
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from portwright_valant.sandbox.auth import User, require_role
from portwright_valant.sandbox.codes import CPT_CHARGES
from portwright_valant.sandbox.csrf import verify_csrf
from portwright_valant.sandbox.ids import new_id, utc_now
from portwright_valant.sandbox.pages.dependencies import BILLING, MAX_PAGE, db, state_of
from portwright_valant.sandbox.templating import render
from portwright_valant.sandbox.x837_envelope import EnvelopeError, check_837p_envelope

__all__ = ["router"]

PAGE_SIZE = 25
MAX_UPLOAD = 5 * 1024 * 1024
STATUSES = ("draft", "submitted", "accepted", "rejected", "paid", "denied")
router = APIRouter()
_billing = Depends(require_role(*BILLING))

_UNBILLED = (
    "SELECT a.id, a.start_time, a.appointment_type, a.service_codes, a.diagnosis_codes, "
    "p.first_name, p.last_name, p.mrn, pv.last_name AS pv_last, "
    "(SELECT count(*) FROM insurance_policies i WHERE i.patient_id = a.patient_id "
    " AND i.rank = 'primary') AS insured FROM appointments a "
    "JOIN patients p ON p.id = a.patient_id JOIN providers pv ON pv.id = a.provider_id "
    "WHERE a.status = 'completed' AND NOT EXISTS "
    "(SELECT 1 FROM claims c WHERE c.appointment_id = a.id) ORDER BY a.start_time DESC, a.id"
)


@router.get("/claims", response_class=HTMLResponse, dependencies=[_billing])
def claims(
    request: Request,
    conn: Annotated[sqlite3.Connection, Depends(db)],
    status: str = "",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> HTMLResponse:
    if status and status not in STATUSES:
        raise HTTPException(status_code=400, detail=f"status must be one of {', '.join(STATUSES)}")
    where, args = (" WHERE c.status = ?", [status]) if status else ("", [])
    total = conn.execute(f"SELECT count(*) FROM claims c{where}", args).fetchone()[0]
    rows = conn.execute(
        "SELECT c.*, p.first_name, p.last_name, p.mrn, y.name AS payer_name FROM claims c "
        "JOIN patients p ON p.id = c.patient_id JOIN payers y ON y.id = c.payer_id"
        f"{where} ORDER BY c.service_date DESC, c.id LIMIT ? OFFSET ?",
        [*args, PAGE_SIZE, (page - 1) * PAGE_SIZE]).fetchall()
    pages = max(1, -(-total // PAGE_SIZE))
    return render(request, state_of(request), "claims/list.html", active_nav="claims",
                  rows=rows, total=total, page=page, pages=pages, status=status,
                  statuses=STATUSES, params={"status": status} if status else {})


@router.get("/claims/new", response_class=HTMLResponse, dependencies=[_billing])
def new_claim(request: Request, conn: Annotated[sqlite3.Connection, Depends(db)]) -> HTMLResponse:
    rows = conn.execute(_UNBILLED + " LIMIT 100").fetchall()
    return render(request, state_of(request), "claims/new.html", active_nav="claims",
                  rows=rows, errors={})


@router.post("/claims", response_class=HTMLResponse,
             dependencies=[_billing, Depends(verify_csrf)])
async def create_claim(
    request: Request, conn: Annotated[sqlite3.Connection, Depends(db)]
) -> Response:
    form = await request.form()
    appointment_id = str(form.get("appointment_id") or "")
    state = state_of(request)
    error = ""
    claim_id = ""
    with state.write_lock:
        apt = conn.execute("SELECT * FROM appointments WHERE id = ?", (appointment_id,)
                           ).fetchone()
        policy = conn.execute(
            "SELECT id, payer_id FROM insurance_policies WHERE patient_id = ? AND rank = 'primary'",
            (apt["patient_id"] if apt else "",)).fetchone()
        existing = conn.execute("SELECT id FROM claims WHERE appointment_id = ?",
                                (appointment_id,)).fetchone()
        if not appointment_id:
            error = "Choose a completed appointment"
        elif apt is None:
            error = f"No appointment with id {appointment_id}"
        elif apt["status"] != "completed":
            error = f"Only completed appointments can be billed (this one is {apt['status']})"
        elif existing is not None:
            error = f"Appointment already billed on claim {existing['id']}"
        elif policy is None:
            error = "The patient has no primary insurance on file (self-pay)"
        else:
            codes = apt["service_codes"].split(",")
            charge = sum(CPT_CHARGES.get(c, 0.0) for c in codes)
            now = utc_now()
            with conn:
                claim_id = new_id(conn, "clm", "claims")
                conn.execute(
                    "INSERT INTO claims VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (claim_id, apt["id"], apt["patient_id"], apt["provider_id"],
                     policy["payer_id"], policy["id"], apt["service_codes"],
                     "95" if apt["place_of_service"] in ("02", "10") else "",
                     apt["diagnosis_codes"], apt["place_of_service"], apt["start_time"][:10],
                     round(charge, 2), None, None, None, "draft", None, now, now))
    if error:
        rows = conn.execute(_UNBILLED + " LIMIT 100").fetchall()
        return render(request, state, "claims/new.html", active_nav="claims", rows=rows,
                      errors={"appointment_id": error}, status_code=422)
    return RedirectResponse(f"/claims/{claim_id}?flash={quote('Claim created')}",
                            status_code=303)


@router.get("/claims/upload", response_class=HTMLResponse, dependencies=[_billing])
def upload_form(request: Request, conn: Annotated[sqlite3.Connection, Depends(db)]
                ) -> HTMLResponse:
    uploads = conn.execute("SELECT id, filename, size, interchange_control, transaction_count, "
                           "claim_count, uploaded_by, uploaded_at FROM claim_uploads "
                           "ORDER BY uploaded_at DESC").fetchall()
    return render(request, state_of(request), "claims/upload.html", active_nav="claims",
                  uploads=uploads, errors={})


@router.post("/claims/upload", response_class=HTMLResponse,
             dependencies=[Depends(verify_csrf)])
async def upload_837(
    request: Request,
    conn: Annotated[sqlite3.Connection, Depends(db)],
    user: Annotated[User, Depends(require_role(*BILLING))],
) -> Response:
    form = await request.form()
    upload = form.get("file")
    state = state_of(request)
    error = ""
    if not isinstance(upload, UploadFile) or not upload.filename:
        error = "Choose an 837P file to upload"
    else:
        content = await upload.read(MAX_UPLOAD + 1)
        if len(content) > MAX_UPLOAD:
            error = "837P files are limited to 5 MB"
        else:
            try:
                summary = check_837p_envelope(content)
            except EnvelopeError as exc:
                error = str(exc)
    if error:
        uploads = conn.execute("SELECT id, filename, size, interchange_control, "
                               "transaction_count, claim_count, uploaded_by, uploaded_at "
                               "FROM claim_uploads ORDER BY uploaded_at DESC").fetchall()
        return render(request, state, "claims/upload.html", active_nav="claims",
                      uploads=uploads, errors={"file": error}, status_code=422)
    assert isinstance(upload, UploadFile) and upload.filename
    with state.write_lock, conn:
        upload_id = new_id(conn, "upl", "claim_uploads")
        conn.execute("INSERT INTO claim_uploads VALUES (?,?,?,?,?,?,?,?,?)",
                     (upload_id, upload.filename.rsplit("/", 1)[-1], len(content), content,
                      summary.interchange_control, summary.transaction_count,
                      summary.claim_count, user.username, utc_now()))
    return RedirectResponse(
        f"/claims/upload?flash={quote(f'Accepted {upload_id}: {summary.claim_count} claim(s)')}",
        status_code=303)


@router.get("/claims/{claim_id}", response_class=HTMLResponse, dependencies=[_billing])
def claim_detail(
    request: Request, claim_id: str, conn: Annotated[sqlite3.Connection, Depends(db)]
) -> HTMLResponse:
    row = conn.execute(
        "SELECT c.*, p.first_name, p.last_name, p.mrn, p.dob, y.name AS payer_name, "
        "y.payer_code, i.member_id, i.group_number, pv.first_name AS pv_first, "
        "pv.last_name AS pv_last, pv.npi AS pv_npi, "
        "(SELECT rc.remittance_id FROM remittance_claims rc WHERE rc.claim_id = c.id) "
        "AS remittance_id FROM claims c JOIN patients p ON p.id = c.patient_id "
        "JOIN payers y ON y.id = c.payer_id JOIN insurance_policies i ON i.id = c.policy_id "
        "JOIN providers pv ON pv.id = c.provider_id WHERE c.id = ?", (claim_id,)).fetchone()
    if row is None:
        raise HTTPException(status_code=404, detail=f"No claim with id {claim_id}")
    lines: list[dict[str, Any]] = [
        {"code": code, "charge": CPT_CHARGES.get(code, 0.0)}
        for code in row["service_codes"].split(",")
    ]
    return render(request, state_of(request), "claims/detail.html", active_nav="claims",
                  c=row, lines=lines)


@router.post("/claims/{claim_id}/submit", dependencies=[_billing, Depends(verify_csrf)])
def submit_claim(
    request: Request, claim_id: str, conn: Annotated[sqlite3.Connection, Depends(db)]
) -> Response:
    state = state_of(request)
    with state.write_lock, conn:
        row = conn.execute("SELECT status FROM claims WHERE id = ?", (claim_id,)).fetchone()
        if row is None:
            raise HTTPException(status_code=404, detail=f"No claim with id {claim_id}")
        if row["status"] != "draft":
            raise HTTPException(
                status_code=409,
                detail=f"Only draft claims can be submitted (this is {row['status']})")
        now = utc_now()
        conn.execute("UPDATE claims SET status='submitted', submitted_on=?, updated_at=? "
                     "WHERE id = ?", (now, now, claim_id))
    return RedirectResponse(f"/claims/{claim_id}?flash={quote('Claim submitted')}",
                            status_code=303)
