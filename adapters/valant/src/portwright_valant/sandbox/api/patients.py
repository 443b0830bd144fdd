"""``/api/v2/patients``: cursor-paged patient rows for the 2026.1 table, and typeahead.

The cursor is opaque to clients (base64 JSON of the offset and the query it belongs to);
a cursor reused with different filters is refused with 400 rather than silently mixing
two result sets. Every bad parameter is a 400 ``{error, field, reason}`` naming it as
the client sent it: the search's refusals here, type and range checks (``limit``, ``q``)
by the app's validation handler (``app.py``).
"""

from __future__ import annotations

import base64
import binascii
import json
import sqlite3
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from portwright_valant.sandbox.auth import require_role
from portwright_valant.sandbox.pages.dependencies import ALL_ROLES, db
from portwright_valant.sandbox.patient_search import (
    PatientQuery,
    SearchError,
    patient_json,
    search_patients,
)

__all__ = ["router"]

router = APIRouter(prefix="/api/v2", dependencies=[Depends(require_role(*ALL_ROLES))])


def _fingerprint(query: PatientQuery) -> str:
    return "|".join((query.q, query.status, query.provider, query.updated_after, query.sort,
                     query.direction))


#: SQLite's OFFSET is a signed 64-bit integer; a larger one is no cursor we issued
_MAX_OFFSET = 2**63 - 1


def _encode(offset: int, query: PatientQuery) -> str:
    raw = json.dumps({"o": offset, "f": _fingerprint(query)}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str, query: PatientQuery) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data: dict[str, Any] = json.loads(base64.urlsafe_b64decode(padded))
        raw_offset = data["o"]
        if type(raw_offset) is not int:  # the server only issues whole offsets
            raise TypeError(raw_offset)
        offset = raw_offset
    except (binascii.Error, ValueError, KeyError, TypeError) as exc:
        raise SearchError("cursor", "cursor is not one this server issued") from exc
    if data.get("f") != _fingerprint(query) or not 0 <= offset <= _MAX_OFFSET:
        raise SearchError("cursor", "cursor belongs to a different query")
    return offset


#: the shared search's field names → this API's parameter names, as clients send them
_PARAMETER_NAMES = {"updated_after": "updatedAfter"}


def _bad_request(exc: SearchError) -> JSONResponse:
    return JSONResponse({"error": "invalid_parameter",
                         "field": _PARAMETER_NAMES.get(exc.field, exc.field),
                         "reason": exc.message}, status_code=400)


def _render_delay_ms(request: Request) -> int:
    """The slow-render fault's delay, passed to the 2026.1 script (skeleton rows first)."""
    faults = getattr(request.app.state, "faults", None)
    return int(getattr(faults, "slow_render_ms", 0) or 0)


@router.get("/patients")
def list_patients(
    request: Request,
    conn: Annotated[sqlite3.Connection, Depends(db)],
    q: str = "",
    status: str = "",
    provider: str = "",
    updatedAfter: str = "",
    sort: str = "name",
    dir: str = "asc",
    cursor: str = "",
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
) -> JSONResponse:
    query = PatientQuery(q=q, status=status, provider=provider, updated_after=updatedAfter,
                         sort=sort, direction=dir)
    try:
        offset = _decode(cursor, query) if cursor else 0
        rows, total = search_patients(conn, query, offset, limit)
    except SearchError as exc:
        return _bad_request(exc)
    next_offset = offset + len(rows)
    delay = _render_delay_ms(request)
    return JSONResponse({
        "items": [patient_json(r) for r in rows],
        "total": total,
        "nextCursor": _encode(next_offset, query) if next_offset < total else None,
    }, headers={"X-Render-Delay-Ms": str(delay)} if delay else None)


@router.get("/patients/lookup")
def lookup_patients(
    conn: Annotated[sqlite3.Connection, Depends(db)],
    q: Annotated[str, Query(min_length=1)],
    limit: Annotated[int, Query(ge=1, le=20)] = 8,
) -> JSONResponse:
    """Typeahead for the appointment form: name, MRN or DOB → a few matches."""
    if not q.strip():  # blanks match every patient: as empty as no q at all
        return _bad_request(SearchError("q", "q must not be empty"))
    try:
        rows, _ = search_patients(conn, PatientQuery(q=q), 0, limit)
    except SearchError as exc:
        return _bad_request(exc)
    return JSONResponse({"items": [
        {"patientId": r["id"], "mrn": r["mrn"], "label":
         f"{r['last_name']}, {r['first_name']} ({r['mrn']}, DOB {r['dob']})"} for r in rows
    ]})
