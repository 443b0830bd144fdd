"""Patient search shared by the 2025.4 table page and the 2026.1 JSON endpoint.

One query builder, so both UI versions list exactly the same patients in the same order:
only the rendering differs between releases.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

__all__ = ["SORTS", "PatientQuery", "SearchError", "patient_json", "search_patients"]

#: sort key → ORDER BY columns (id breaks ties so paging is stable)
SORTS: dict[str, str] = {
    "name": "p.last_name {dir}, p.first_name {dir}, p.id",
    "mrn": "CAST(substr(p.mrn, 5) AS INTEGER) {dir}, p.id",
    "dob": "p.dob {dir}, p.id",
    "updated": "p.updated_at {dir}, p.id",
}
STATUSES = ("active", "inactive", "discharged")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class SearchError(ValueError):
    """A filter the portal cannot apply; ``field`` names the offending parameter."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class PatientQuery:
    q: str = ""
    status: str = ""
    provider: str = ""
    updated_after: str = ""
    sort: str = "name"
    direction: str = "asc"


def _normalize_updated_after(value: str) -> str:
    """A date or ISO timestamp as the stored UTC form; naive values are taken as UTC."""
    text = value.strip()
    if not text:
        return ""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise SearchError("updated_after", "Use a date (YYYY-MM-DD) or ISO timestamp") from exc
    if moment.tzinfo is not None:
        try:
            moment = moment.astimezone(UTC)
        except OverflowError:  # 0001-01-01T00:00+05:00 has no UTC moment in range
            raise SearchError("updated_after",
                              "Use a date (YYYY-MM-DD) or ISO timestamp") from None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _where(query: PatientQuery) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    args: list[Any] = []
    text = query.q.strip()
    if text:
        us = _US_DATE.match(text)
        if us:
            clauses.append("p.dob = ?")
            args.append(f"{us.group(3)}-{int(us.group(1)):02d}-{int(us.group(2)):02d}")
        elif _ISO_DATE.match(text):
            clauses.append("p.dob = ?")
            args.append(text)
        elif text.upper().startswith("MRN") or text.isdigit():
            digits = re.sub(r"\D", "", text)
            clauses.append("p.mrn LIKE ?")
            args.append(f"MRN-{digits}%")
        else:
            for part in text.replace(",", " ").split():
                clauses.append("(p.first_name LIKE ? OR p.last_name LIKE ?)")
                args.extend([f"{part}%", f"{part}%"])
    if query.status:
        if query.status not in STATUSES:
            raise SearchError("status", f"status must be one of {', '.join(STATUSES)}")
        clauses.append("p.status = ?")
        args.append(query.status)
    if query.provider:
        clauses.append("p.primary_provider_id = ?")
        args.append(query.provider)
    updated = _normalize_updated_after(query.updated_after)
    if updated:
        clauses.append("p.updated_at > ?")
        args.append(updated)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", args


def search_patients(
    conn: sqlite3.Connection, query: PatientQuery, offset: int, limit: int
) -> tuple[list[sqlite3.Row], int]:
    """One page of matching patients (with provider name) and the total match count."""
    if query.sort not in SORTS:
        raise SearchError("sort", f"sort must be one of {', '.join(SORTS)}")
    if query.direction not in ("asc", "desc"):
        raise SearchError("dir", "dir must be asc or desc")
    where, args = _where(query)
    total = conn.execute(f"SELECT count(*) FROM patients p{where}", args).fetchone()[0]
    order = SORTS[query.sort].format(dir=query.direction.upper())
    rows = conn.execute(
        "SELECT p.*, pv.first_name AS pv_first, pv.last_name AS pv_last, "
        "pv.credential AS pv_credential FROM patients p "
        f"LEFT JOIN providers pv ON pv.id = p.primary_provider_id{where} "
        f"ORDER BY {order} LIMIT ? OFFSET ?",
        [*args, limit, offset],
    ).fetchall()
    return rows, int(total)


def patient_json(row: sqlite3.Row) -> dict[str, Any]:
    """The list item shape of the 2026.1 internal API (camelCase, like the reference API)."""
    return {
        "patientId": row["id"],
        "mrn": row["mrn"],
        "firstName": row["first_name"],
        "lastName": row["last_name"],
        "dob": row["dob"],
        "sex": row["sex"],
        "contact": {"email": row["email"], "phone": row["phone"]},
        "primaryProvider": {
            "id": row["primary_provider_id"],
            "name": f"{row['pv_first']} {row['pv_last']}, {row['pv_credential']}",
        },
        "portalEnrollment": {"status": row["portal_status"], "invitedOn": row["portal_invited_on"]},
        "status": row["status"],
        "updatedAt": row["updated_at"],
    }
