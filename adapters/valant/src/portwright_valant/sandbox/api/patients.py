"""``/api/v2/patients``: cursor-paged patient rows for the 2026.1 table, and typeahead.

The cursor is a signed keyset (base64 JSON of the sort key and id of the last row
returned, and the query it belongs to; ``keyset_cursor.py``), so a patient whose
``updatedAt`` changes, or a patient added, while a client pages through is neither
skipped nor returned twice. A cursor reused with different filters, edited or made up is
refused with 400 rather than silently mixing two result sets. Every bad parameter is a
400 ``{error, field, reason}`` naming it as the client sent it: the search's refusals
here, type and range checks (``limit``, ``q``) by the app's validation handler
(``app.py``).
"""

from __future__ import annotations

import sqlite3
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from portwright_valant.sandbox.auth import require_role
from portwright_valant.sandbox.keyset_cursor import (
    CursorError,
    cursor_key,
    decode_cursor,
    encode_cursor,
)
from portwright_valant.sandbox.pages.dependencies import ALL_ROLES, db, state_of
from portwright_valant.sandbox.patient_search import (
    SORT_KEYS,
    PatientQuery,
    SearchError,
    patient_json,
    search_patients,
    sort_key_of,
)

__all__ = ["router"]

router = APIRouter(prefix="/api/v2", dependencies=[Depends(require_role(*ALL_ROLES))])


def _fingerprint(query: PatientQuery) -> str:
    return "|".join((query.q, query.status, query.provider, query.updated_after, query.sort,
                     query.direction))


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
    key = cursor_key(state_of(request).config.seed, "patients")
    try:
        after = None
        if cursor:
            if sort not in SORT_KEYS:  # the sort's own error names the real culprit
                raise SearchError("sort", f"sort must be one of {', '.join(SORT_KEYS)}")
            try:
                after = decode_cursor(key, _fingerprint(query), cursor,
                                      tuple(kind for _, kind in SORT_KEYS[sort]))
            except CursorError as exc:
                raise SearchError("cursor", str(exc)) from None
        # one row more than asked says whether another page follows
        rows, total = search_patients(conn, query, 0, limit + 1, after=after)
    except SearchError as exc:
        return _bad_request(exc)
    page, more = rows[:limit], len(rows) > limit
    delay = _render_delay_ms(request)
    return JSONResponse({
        "items": [patient_json(r) for r in page],
        "total": total,
        "nextCursor": (encode_cursor(key, _fingerprint(query), sort_key_of(page[-1], query))
                       if more else None),
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
