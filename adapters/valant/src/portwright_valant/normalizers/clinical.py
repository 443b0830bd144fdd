"""Encounters, clinical notes (every version) and treatment plans.

A note's versions arrive as rows of its history table; the entity orders them 1, 2, 3
and repeats the latest signature on the note, so a consumer never mistakes an amended,
unsigned draft for the signed original.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from portwright.entities import ClinicalNote, Encounter, TreatmentPlan, validate
from portwright_valant.normalizers.portal_values import (
    codes,
    first,
    flag,
    free_text,
    json_list,
    portal_date,
    portal_timestamp,
    slug,
    text,
)

__all__ = ["normalize_clinical_note", "normalize_encounter", "normalize_treatment_plan"]


def normalize_encounter(raw: Mapping[str, Any]) -> Encounter:
    return validate(Encounter, {
        "encounterId": text(first(raw, "encounter_id", "encounterId", "id")),
        "appointmentId": text(first(raw, "appointment_id", "appointmentId")),
        "patientId": text(first(raw, "patient_id", "patientId")),
        "providerId": text(first(raw, "provider_id", "providerId")),
        "locationId": text(first(raw, "location_id", "locationId")),
        "encounterDate": portal_date(first(raw, "encounter_date", "encounterDate", "date")),
        "encounterType": text(first(raw, "encounter_type", "encounterType", "type")),
        "status": slug(raw.get("status")),
    })


def _version(raw: Mapping[str, Any]) -> dict[str, Any]:
    signed = flag(raw.get("signed", False))
    return {
        "version": int(text(raw.get("version")) or "0"),
        "body": raw.get("body") or "",
        "createdAt": portal_timestamp(first(raw, "created_at", "createdAt")),
        "signed": signed,
        "signedAt": portal_timestamp(first(raw, "signed_at", "signedAt")) if signed else None,
        "signedBy": text(first(raw, "signed_by", "signedBy")) if signed else None,
    }


def normalize_clinical_note(raw: Mapping[str, Any]) -> ClinicalNote:
    """A note with ``versions`` (rows of its history), oldest first after sorting."""
    versions = sorted((_version(v) for v in raw.get("versions") or []),
                      key=lambda v: int(v["version"]))
    latest = versions[-1] if versions else {}
    return validate(ClinicalNote, {
        "noteId": text(first(raw, "note_id", "noteId", "id")),
        "encounterId": text(first(raw, "encounter_id", "encounterId")),
        "patientId": text(first(raw, "patient_id", "patientId")),
        "noteType": slug(first(raw, "note_type", "noteType")) or "progress",
        "versions": versions,
        "signed": latest.get("signed", False),
        "signedAt": latest.get("signedAt"),
        "signedBy": latest.get("signedBy"),
    })


#: a list bullet ("- ", "• ") before an item; a lone dash is an item someone typed
_BULLET = re.compile(r"^[\u2022-]\s+")


def _lines(value: Any) -> list[str]:
    """Items of a list field: a list, a JSON list, or one item a line (bullet removed)."""
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    if value is None:
        return []
    shown = str(value)
    if shown.lstrip().startswith("["):
        return [str(v) for v in json_list(shown)]
    return [item for item in (_BULLET.sub("", line.strip()) for line in shown.splitlines())
            if item]


def _goal(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        return {"description": str(raw)}
    return {
        "goalId": text(first(raw, "goal_id", "goalId", "id")),
        "description": free_text(raw.get("description")),
        "objectives": _lines(raw.get("objectives")),
        "status": slug(raw.get("status")) or "in_progress",
        "targetDate": portal_date(first(raw, "target_date", "targetDate")),
        "instrument": text(raw.get("instrument")),
        "targetScore": raw.get("target_score", raw.get("targetScore")),
    }


def normalize_treatment_plan(raw: Mapping[str, Any]) -> TreatmentPlan:
    goals = raw.get("goals")
    goal_rows = json_list(goals) if isinstance(goals, str) else list(goals or [])
    signed = flag(raw.get("signed", False))
    return validate(TreatmentPlan, {
        "treatmentPlanId": text(first(raw, "treatment_plan_id", "treatmentPlanId", "id")),
        "patientId": text(first(raw, "patient_id", "patientId")),
        "providerId": text(first(raw, "provider_id", "providerId")),
        "version": int(text(raw.get("version")) or "1"),
        "status": slug(raw.get("status")),
        "problem": free_text(raw.get("problem")),
        "diagnosisCodes": codes(first(raw, "diagnosis_codes", "diagnosisCodes")),
        "goals": [_goal(g) for g in goal_rows],
        "interventions": _lines(raw.get("interventions")),
        "startDate": portal_date(first(raw, "start_date", "startDate")),
        "reviewDate": portal_date(first(raw, "review_date", "reviewDate")),
        "signed": signed,
        "signedAt": portal_timestamp(first(raw, "signed_at", "signedAt")) if signed else None,
        "createdAt": portal_timestamp(first(raw, "created_at", "createdAt")),
    })
