"""Remittances (ERAs): list, detail with the claims paid, and the 835 download."""

from __future__ import annotations

import sqlite3
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from portwright_valant.sandbox.auth import require_role
from portwright_valant.sandbox.pages.dependencies import BILLING, db, state_of
from portwright_valant.sandbox.templating import render
from portwright_valant.sandbox.x835 import load_remittance, write_835

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(require_role(*BILLING))])


@router.get("/remittances", response_class=HTMLResponse)
def remittances(request: Request, conn: Annotated[sqlite3.Connection, Depends(db)]
                ) -> HTMLResponse:
    rows = conn.execute(
        "SELECT r.*, y.name AS payer_name FROM remittances r JOIN payers y ON y.id = r.payer_id "
        "ORDER BY r.payment_date DESC, r.id").fetchall()
    return render(request, state_of(request), "remittances/list.html",
                  active_nav="remittances", rows=rows)


@router.get("/remittances/{remittance_id}", response_class=HTMLResponse)
def remittance_detail(
    request: Request, remittance_id: str, conn: Annotated[sqlite3.Connection, Depends(db)]
) -> HTMLResponse:
    rem = conn.execute(
        "SELECT r.*, y.name AS payer_name, y.payer_code FROM remittances r "
        "JOIN payers y ON y.id = r.payer_id WHERE r.id = ?", (remittance_id,)).fetchone()
    if rem is None:
        raise HTTPException(status_code=404, detail=f"No remittance with id {remittance_id}")
    claims = conn.execute(
        "SELECT c.*, p.first_name, p.last_name FROM remittance_claims rc "
        "JOIN claims c ON c.id = rc.claim_id JOIN patients p ON p.id = c.patient_id "
        "WHERE rc.remittance_id = ? ORDER BY c.id", (remittance_id,)).fetchall()
    return render(request, state_of(request), "remittances/detail.html",
                  active_nav="remittances", r=rem, claims=claims)


@router.get("/remittances/{remittance_id}/835")
def download_835(remittance_id: str, conn: Annotated[sqlite3.Connection, Depends(db)]
                 ) -> Response:
    rem = load_remittance(conn, remittance_id)
    if rem is None:
        raise HTTPException(status_code=404, detail=f"No remittance with id {remittance_id}")
    return Response(write_835(rem), media_type="application/edi-x12", headers={
        "Content-Disposition": f'attachment; filename="{remittance_id}.835"'})
