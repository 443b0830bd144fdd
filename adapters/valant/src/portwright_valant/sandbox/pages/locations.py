"""The practice's locations (service facilities)."""

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


@router.get("/locations", response_class=HTMLResponse)
def locations(request: Request, conn: Annotated[sqlite3.Connection, Depends(db)]) -> HTMLResponse:
    rows = conn.execute(
        "SELECT l.*, (SELECT count(*) FROM providers pv WHERE pv.location_id = l.id) AS staff "
        "FROM locations l ORDER BY l.name").fetchall()
    practice = conn.execute("SELECT * FROM practice").fetchone()
    return render(request, state_of(request), "locations.html", active_nav="locations",
                  locations=rows, practice=practice)
