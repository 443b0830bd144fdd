"""Documents filed to a chart and the practice's tasks (to-dos)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from portwright.entities import Document, Task, validate
from portwright_valant.normalizers.portal_values import (
    first,
    free_text,
    portal_date,
    portal_timestamp,
    slug,
    text,
)

__all__ = ["normalize_document", "normalize_task", "parse_size"]

_UNITS = {"b": 1, "bytes": 1, "kb": 1024, "mb": 1024 * 1024}


def parse_size(value: Any) -> int | None:
    """``2048`` / ``2,048 bytes`` / ``2.0 KB`` as a byte count (KB = 1024 bytes)."""
    if isinstance(value, int):
        return value
    shown = text(value)
    if shown is None:
        return None
    # [0-9], not \d: float() would read a size written in full-width digits.
    match = re.match(r"^([0-9.,]+)\s*([A-Za-z]*)$", shown)
    if not match:
        raise ValueError(f"expected a file size, got {shown!r}")
    number = float(match.group(1).replace(",", ""))
    unit = _UNITS.get(match.group(2).lower() or "b")
    if unit is None:
        raise ValueError(f"unknown size unit {match.group(2)!r}")
    return round(number * unit)


_DETAILS = re.compile(r"^(?P<file>.+?) \u00b7 (?P<size>[0-9,.]+ ?\w*) \u00b7 (?P<at>\S+)$")


def normalize_document(raw: Mapping[str, Any]) -> Document:
    """A chart document row (2025.4: one cell per field; 2026.1: one line reading
    ``intake.pdf · 2048 bytes · 2026-11-30T20:00:00Z``)."""
    details = text(raw.get("details"))
    match = _DETAILS.match(details) if details else None
    if match:
        raw = {"file_name": match["file"], "size": match["size"],
               "uploaded_at": match["at"], **raw}
    return validate(Document, {
        "documentId": text(first(raw, "document_id", "documentId", "id")),
        "patientId": text(first(raw, "patient_id", "patientId")),
        "documentType": slug(first(raw, "document_type", "documentType", "kind")),
        "title": free_text(raw.get("title")),
        "fileName": text(first(raw, "file_name", "fileName", "filename")),
        "contentType": text(first(raw, "content_type", "contentType")),
        "sizeBytes": parse_size(first(raw, "size_bytes", "sizeBytes", "size")),
        "sha256": text(raw.get("sha256")),
        "uploadedBy": text(first(raw, "uploaded_by", "uploadedBy")),
        "uploadedAt": portal_timestamp(first(raw, "uploaded_at", "uploadedAt")),
    })


def normalize_task(raw: Mapping[str, Any]) -> Task:
    return validate(Task, {
        "taskId": text(first(raw, "task_id", "taskId", "id")),
        "title": free_text(raw.get("title")),
        "description": free_text(raw.get("description")),
        "patientId": text(first(raw, "patient_id", "patientId")),
        "assigneeId": text(first(raw, "assignee_id", "assigneeId")),
        "dueDate": portal_date(first(raw, "due_date", "dueDate")),
        "priority": slug(raw.get("priority")) or "normal",
        "status": slug(raw.get("status")) or "open",
        "createdAt": portal_timestamp(first(raw, "created_at", "createdAt")),
        "completedAt": portal_timestamp(first(raw, "completed_at", "completedAt")),
    })
