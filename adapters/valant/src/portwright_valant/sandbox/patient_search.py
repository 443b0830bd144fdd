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

from portwright_valant.sandbox.keyset_cursor import Keyset

__all__ = [
    "SORTS",
    "SORT_KEYS",
    "PatientQuery",
    "SearchError",
    "patient_json",
    "search_patients",
    "sort_key_of",
]

#: sort key → its columns (SQL expression, Python type of the value); ``p.id`` always
#: follows, ascending, so ties are broken the same way on every page
SORT_KEYS: dict[str, tuple[tuple[str, type], ...]] = {
    "name": (("p.last_name", str), ("p.first_name", str)),
    "mrn": (("CAST(substr(p.mrn, 5) AS INTEGER)", int),),
    "dob": (("p.dob", str),),
    "updated": (("p.updated_at", str),),
}
#: sort key → ORDER BY clause (``{dir}`` is ASC or DESC)
SORTS: dict[str, str] = {
    sort: ", ".join(f"{expr} {{dir}}" for expr, _ in columns) + ", p.id"
    for sort, columns in SORT_KEYS.items()
}
STATUSES = ("active", "inactive", "discharged")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: the LIKE escape character of name searches
_ESCAPE = "\\"


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


def _name_prefix(part: str) -> tuple[str, str]:
    """A clause matching patients whose first or last name starts with ``part``, and its
    LIKE pattern (bound twice).

    As a real portal's search does, ``%`` and ``_`` are letters someone typed, not
    wildcards (``_`` used to match any character and ``%`` every patient), and case is
    ignored in every script: SQLite's LIKE folds ASCII letters only, so ``émile`` missed
    Émile and ``NÚÑEZ`` missed Núñez. A part in plain ASCII keeps the plain LIKE (only
    ASCII letters can match it, and LIKE folds those); other parts compare lower-cased
    names (``lower_name``, a function ``search_patients`` gives the connection), which
    costs a Python call per row only for such searches. Accents still count (``jose``
    does not find José), as in a case-insensitive, accent-sensitive collation.
    """
    escaped = re.sub(r"([\\%_])", r"\\\1", part)
    if part.isascii():
        return (f"(p.first_name LIKE ? ESCAPE '{_ESCAPE}' "
                f"OR p.last_name LIKE ? ESCAPE '{_ESCAPE}')", f"{escaped}%")
    return (f"(lower_name(p.first_name) LIKE ? ESCAPE '{_ESCAPE}' "
            f"OR lower_name(p.last_name) LIKE ? ESCAPE '{_ESCAPE}')", f"{escaped.lower()}%")


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
                clause, pattern = _name_prefix(part)
                clauses.append(clause)
                args.extend([pattern, pattern])
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


def _after(query: PatientQuery, last: Keyset) -> tuple[str, list[Any]]:
    """Rows strictly after ``last`` in the query's order: a larger (asc) or smaller (desc)
    sort key, or the same key and a larger id."""
    columns = ", ".join(expr for expr, _ in SORT_KEYS[query.sort])
    marks = ", ".join("?" for _ in last.key)
    beyond = ">" if query.direction == "asc" else "<"
    return (f"(({columns}) {beyond} ({marks}) OR (({columns}) = ({marks}) AND p.id > ?))",
            [*last.key, *last.key, last.row_id])


def search_patients(
    conn: sqlite3.Connection, query: PatientQuery, offset: int, limit: int,
    after: Keyset | None = None,
) -> tuple[list[sqlite3.Row], int]:
    """One page of matching patients (with provider name) and the total match count.

    ``after`` (a keyset cursor's last row) starts the page just after that row, so rows
    that moved since the previous page are neither skipped nor repeated; ``offset`` is
    for numbered pages. Each row carries its sort key for the next cursor (``sort_key_of``).
    """
    if query.sort not in SORTS:
        raise SearchError("sort", f"sort must be one of {', '.join(SORTS)}")
    if query.direction not in ("asc", "desc"):
        raise SearchError("dir", "dir must be asc or desc")
    conn.create_function("lower_name", 1, _lower_name, deterministic=True)
    where, args = _where(query)
    total = conn.execute(f"SELECT count(*) FROM patients p{where}", args).fetchone()[0]
    page_where, page_args = where, args
    if after is not None:
        clause, extra = _after(query, after)
        page_where = f"{where} AND {clause}" if where else f" WHERE {clause}"
        page_args = [*args, *extra]
    order = SORTS[query.sort].format(dir=query.direction.upper())
    keys = "".join(f", {expr} AS sort_key_{i}"
                   for i, (expr, _) in enumerate(SORT_KEYS[query.sort]))
    rows = conn.execute(
        "SELECT p.*, pv.first_name AS pv_first, pv.last_name AS pv_last, "
        f"pv.credential AS pv_credential{keys} FROM patients p "
        f"LEFT JOIN providers pv ON pv.id = p.primary_provider_id{page_where} "
        f"ORDER BY {order} LIMIT ? OFFSET ?",
        [*page_args, limit, offset],
    ).fetchall()
    return rows, int(total)


def _lower_name(value: str | None) -> str | None:
    """A name in lower case in every script, for searches SQLite's LIKE cannot fold."""
    return None if value is None else value.lower()


def sort_key_of(row: sqlite3.Row, query: PatientQuery) -> Keyset:
    """Where ``row`` (from ``search_patients``) sits in the query's order."""
    return Keyset(tuple(row[f"sort_key_{i}"] for i in range(len(SORT_KEYS[query.sort]))),
                  row["id"])


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
        # null when nobody is the patient's clinician (not a name made of "None"s)
        "primaryProvider": {
            "id": row["primary_provider_id"],
            "name": f"{row['pv_first']} {row['pv_last']}, {row['pv_credential']}",
        } if row["primary_provider_id"] else None,
        "portalEnrollment": {"status": row["portal_status"], "invitedOn": row["portal_invited_on"]},
        "status": row["status"],
        "updatedAt": row["updated_at"],
    }
