"""Outcome-measure results (PHQ-9, GAD-7, PCL-5): list with filters and item-level detail."""

from __future__ import annotations

import json
import sqlite3
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from portwright_valant.sandbox.auth import require_role
from portwright_valant.sandbox.instruments import INSTRUMENTS
from portwright_valant.sandbox.pages.dependencies import CLINICAL, MAX_PAGE, db, state_of
from portwright_valant.sandbox.templating import render

__all__ = ["router"]

PAGE_SIZE = 25
router = APIRouter(dependencies=[Depends(require_role(*CLINICAL))])


@router.get("/assessments", response_class=HTMLResponse)
def assessments(
    request: Request,
    conn: Annotated[sqlite3.Connection, Depends(db)],
    instrument: str = "",
    patient: str = "",
    completed_after: str = "",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> HTMLResponse:
    clauses: list[str] = []
    args: list[Any] = []
    if instrument:
        if instrument not in INSTRUMENTS:
            raise HTTPException(status_code=400, detail=f"Unknown instrument {instrument!r}")
        clauses.append("r.instrument = ?")
        args.append(instrument)
    if patient:
        clauses.append("r.patient_id = ?")
        args.append(patient)
    if completed_after:
        clauses.append("r.completed_on > ?")
        args.append(completed_after)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    total = conn.execute(f"SELECT count(*) FROM assessment_results r{where}", args).fetchone()[0]
    rows = conn.execute(
        "SELECT r.*, p.first_name, p.last_name, p.mrn FROM assessment_results r "
        f"JOIN patients p ON p.id = r.patient_id{where} ORDER BY r.completed_on DESC, r.id "
        "LIMIT ? OFFSET ?", [*args, PAGE_SIZE, (page - 1) * PAGE_SIZE]).fetchall()
    pages = max(1, -(-total // PAGE_SIZE))
    params = {k: v for k, v in (("instrument", instrument), ("patient", patient),
                                ("completed_after", completed_after)) if v}
    return render(request, state_of(request), "assessments/list.html", active_nav="assessments",
                  rows=rows, total=total, page=page, pages=pages, params=params,
                  instrument=instrument, instruments=INSTRUMENTS)


@router.get("/assessments/{result_id}", response_class=HTMLResponse)
def assessment_detail(
    request: Request, result_id: str, conn: Annotated[sqlite3.Connection, Depends(db)]
) -> HTMLResponse:
    row = conn.execute(
        "SELECT r.*, p.first_name, p.last_name, p.mrn, pv.first_name AS pv_first, "
        "pv.last_name AS pv_last, a.start_time AS appointment_start FROM assessment_results r "
        "JOIN patients p ON p.id = r.patient_id JOIN providers pv ON pv.id = r.provider_id "
        "LEFT JOIN appointments a ON a.id = r.appointment_id WHERE r.id = ?",
        (result_id,)).fetchone()
    if row is None:
        raise HTTPException(status_code=404, detail=f"No assessment result with id {result_id}")
    answers = json.loads(row["answers"])
    question_ids = INSTRUMENTS[row["instrument"]].question_ids()
    baseline = conn.execute(
        "SELECT score_total FROM assessment_results WHERE patient_id = ? AND instrument = ? "
        "ORDER BY completed_on, id LIMIT 1", (row["patient_id"], row["instrument"])).fetchone()
    return render(request, state_of(request), "assessments/detail.html",
                  active_nav="assessments", r=row,
                  items=list(zip(question_ids, answers, strict=True)),
                  baseline=baseline["score_total"] if baseline else None)
