"""Patients: a list row, a chart, or an item of the 2026.1 ``/api/v2/patients`` JSON.

All three describe the same person; they differ in spelling (``Nguyen, Avery`` vs
``firstName``/``lastName``), in date format and in how much they carry (a list row has no
address or insurance; the chart has everything). The normalizer takes whichever it gets.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from portwright.entities import Patient, validate
from portwright_valant.normalizers.portal_values import (
    first,
    person_name,
    portal_date,
    portal_timestamp,
    slug,
    text,
)

__all__ = ["normalize_insurance_policy", "normalize_patient"]

_RANKS = {"primary": "primary", "secondary": "secondary", "tertiary": "tertiary",
          "1": "primary", "2": "secondary", "3": "tertiary"}


def normalize_insurance_policy(raw: Mapping[str, Any]) -> dict[str, Any]:
    """One insurance row of the chart (or JSON policy) in the InsurancePolicy shape."""
    rank = slug(first(raw, "type", "rank")) or ""
    return {
        "type": _RANKS.get(rank, rank),
        "payerId": text(first(raw, "payer_id", "payerId")),
        "memberId": text(first(raw, "member_id", "memberId")),
        "groupNumber": text(first(raw, "group_number", "groupNumber")),
        "effectiveStart": portal_date(first(raw, "effective_start", "effectiveStart")),
        "effectiveEnd": portal_date(first(raw, "effective_end", "effectiveEnd")),
        "policyId": text(first(raw, "policy_id", "policyId")),
    }


def _provider_id(raw: Mapping[str, Any]) -> str | None:
    nested = raw.get("primaryProvider")
    if isinstance(nested, Mapping):
        return text(nested.get("id"))
    return text(first(raw, "primary_provider_id", "primaryProviderId"))


def _nested(raw: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = raw.get(key)
    return value if isinstance(value, Mapping) else {}


def normalize_patient(raw: Mapping[str, Any]) -> Patient:
    """Build a Patient from a list row, a chart record or a JSON item."""
    first_name, last_name = person_name(raw)
    contact = _nested(raw, "contact")
    address_raw = _nested(raw, "address") or raw
    enrollment = _nested(raw, "portalEnrollment")
    line1 = text(first(address_raw, "line1", "address_line1"))
    address = None
    if line1 is not None:
        address = {
            "line1": line1,
            "line2": text(first(address_raw, "line2", "address_line2")),
            "city": text(address_raw.get("city")),
            "region": text(first(address_raw, "region", "state")),
            "postalCode": text(first(address_raw, "postal_code", "postalCode", "zip")),
        }
    portal_status = slug(first(enrollment, "status") or raw.get("portal_status"))
    data: dict[str, Any] = {
        "patientId": text(first(raw, "patient_id", "patientId", "id")),
        "mrn": text(raw.get("mrn")),
        "firstName": first_name,
        "lastName": last_name,
        "dob": portal_date(raw.get("dob")),
        "sex": slug(raw.get("sex")),
        "contact": {
            "email": text(first(contact, "email") or raw.get("email")),
            "phone": text(first(contact, "phone") or raw.get("phone")),
        },
        "address": address,
        "insurance": [normalize_insurance_policy(p) for p in raw.get("insurance") or []],
        "primaryProviderId": _provider_id(raw),
        "portalEnrollment": {
            "status": portal_status or "not_invited",
            "invitedOn": portal_timestamp(
                first(enrollment, "invitedOn") or raw.get("portal_invited_on")),
        },
        "status": slug(raw.get("status")),
        "updatedAt": portal_timestamp(first(raw, "updated_at", "updatedAt")),
    }
    return validate(Patient, data)
