"""Patients list: search by name/MRN/DOB, filter by status/provider/updated-after, sort.

2025.4 renders the table on the server with numbered pages of 25; 2026.1 renders an
empty shell whose script loads rows from ``/api/v2/patients`` (see ``api/patients.py``).
"""

from __future__ import annotations

import math
import sqlite3
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from portwright_valant.sandbox.auth import require_role
from portwright_valant.sandbox.pages.dependencies import ALL_ROLES, MAX_PAGE, db, state_of
from portwright_valant.sandbox.patient_search import PatientQuery, SearchError, search_patients
from portwright_valant.sandbox.templating import render

__all__ = ["PAGE_SIZE", "router"]

PAGE_SIZE = 25
router = APIRouter(dependencies=[Depends(require_role(*ALL_ROLES))])


@router.get("/patients", response_class=HTMLResponse)
def patients_list(
    request: Request,
    conn: Annotated[sqlite3.Connection, Depends(db)],
    q: str = "",
    status: str = "",
    provider: str = "",
    updated_after: str = "",
    sort: str = "name",
    dir: str = "asc",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> HTMLResponse:
    query = PatientQuery(q=q, status=status, provider=provider, updated_after=updated_after,
                         sort=sort, direction=dir)
    providers = conn.execute(
        "SELECT id, first_name, last_name, credential FROM providers ORDER BY last_name"
    ).fetchall()
    error: SearchError | None = None
    try:
        rows, total = search_patients(conn, query, (page - 1) * PAGE_SIZE, PAGE_SIZE)
    except SearchError as exc:
        rows, total, error = [], 0, exc
    pages = max(1, math.ceil(total / PAGE_SIZE))
    params = {k: v for k, v in (("q", q), ("status", status), ("provider", provider),
                                ("updated_after", updated_after), ("sort", sort), ("dir", dir))
              if v}
    return render(
        request, state_of(request), "patients/list.html", active_nav="patients", rows=rows,
        total=total, page=page, pages=pages, query=query, params=params, providers=providers,
        error=error, page_size=PAGE_SIZE, status_code=422 if error else 200,
    )
