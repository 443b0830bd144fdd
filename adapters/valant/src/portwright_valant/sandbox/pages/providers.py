"""The practice's providers with NPI, taxonomy and home location."""

from __future__ import annotations

import sqlite3
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from portwright_valant.sandbox.auth import require_role
from portwright_valant.sandbox.pages.dependencies import ALL_ROLES, db, state_of
from portwright_valant.sandbox.templating import render

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(require_role(*ALL_ROLES))])


@router.get("/providers", response_class=HTMLResponse)
def providers(request: Request, conn: Annotated[sqlite3.Connection, Depends(db)]) -> HTMLResponse:
    rows = conn.execute(
        "SELECT pv.*, l.name AS location_name FROM providers pv "
        "JOIN locations l ON l.id = pv.location_id ORDER BY pv.last_name, pv.first_name"
    ).fetchall()
    return render(request, state_of(request), "providers.html", active_nav="providers",
                  providers=rows)
