"""Appointments: schedule rows, the appointment detail page and created/updated results.

The portal keeps all CPT codes of a visit in one field (``99214, 90833``); the entity
separates the primary code from add-ons (``serviceCode`` + ``addOnCodes``) because an
837P bills them as separate lines and payers reject an add-on billed alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from portwright.codes import cpt_info
from portwright.entities import Appointment, validate
from portwright_valant.normalizers.portal_values import (
    codes,
    first,
    flag,
    free_text,
    multiline_text,
    portal_date,
    portal_timestamp,
    slug,
    text,
)

__all__ = ["normalize_appointment", "split_service_codes"]


def split_service_codes(all_codes: list[str]) -> tuple[str | None, list[str]]:
    """(primary, add-ons): the first code that is not an add-on is the primary."""
    primary = next((c for c in all_codes if not _is_add_on(c)), None)
    add_ons = [c for c in all_codes if c != primary]
    return primary, add_ons


def _is_add_on(code: str) -> bool:
    info = cpt_info(code)
    return info is not None and info.add_on


def _moment(raw: Mapping[str, Any], key: str, clock_key: str) -> str | None:
    """A full timestamp, or the visit's date plus an ``HH:MM`` clock time (UTC)."""
    value = text(first(raw, key, _camel(key)))
    if value is not None and ("T" in value or len(value) > 8):
        return portal_timestamp(value)
    clock = value or text(raw.get(clock_key))
    day = portal_date(first(raw, "date", "visit_date"))
    if clock is None or day is None:
        return None
    return portal_timestamp(f"{day}T{clock}")


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part.title() for part in rest)


_STATUS_WITH_REASON = re.compile(r"^(?P<status>[A-Za-z][\w-]*) \((?P<reason>.*)\)$")


def _status_and_reason(raw: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """2025.4 prints ``cancelled (Patient ill)`` in one cell; 2026.1 has two cells."""
    shown = text(raw.get("status"))
    reason = free_text(first(raw, "cancel_reason", "cancelReason"))
    match = _STATUS_WITH_REASON.match(shown) if shown else None
    if match:
        return slug(match["status"]), reason or match["reason"]
    return slug(shown), reason


def _reminders(raw: Mapping[str, Any]) -> tuple[bool, bool]:
    """Reminder channels: flags, a nested mapping, or one cell (``Email / Text``,
    ``email sms``, ``None``, ``off``)."""
    value = raw.get("reminders")
    if isinstance(value, Mapping):
        return flag(value.get("email")), flag(value.get("sms"))
    if isinstance(value, str):
        words = set(re.findall(r"[a-z]+", value.lower()))
        return "email" in words, bool(words & {"sms", "text"})
    return flag(raw.get("reminder_email", False)), flag(raw.get("reminder_sms", False))


def normalize_appointment(raw: Mapping[str, Any]) -> Appointment:
    """Build an Appointment from a schedule row or the appointment detail page."""
    service = codes(first(raw, "service_codes", "serviceCodes", "service_code"))
    primary, add_ons = split_service_codes(service)
    telehealth = raw.get("telehealth")
    link = text(first(raw, "telehealth_link", "telehealthLink"))
    if isinstance(telehealth, Mapping):
        enabled = flag(telehealth.get("enabled"))
        link = text(telehealth.get("link")) or link
    else:
        enabled = flag(telehealth) if telehealth is not None else link is not None
    email, sms = _reminders(raw)
    status, cancel_reason = _status_and_reason(raw)
    return validate(Appointment, {
        "appointmentId": text(first(raw, "appointment_id", "appointmentId", "id")),
        "patientId": text(first(raw, "patient_id", "patientId")),
        "providerId": text(first(raw, "provider_id", "providerId")),
        "locationId": text(first(raw, "location_id", "locationId")),
        "appointmentType": text(first(raw, "appointment_type", "appointmentType", "type")),
        "serviceCode": primary,
        "addOnCodes": add_ons,
        "diagnosisCodes": codes(first(raw, "diagnosis_codes", "diagnosisCodes")),
        "startTime": _moment(raw, "start_time", "start"),
        "endTime": _moment(raw, "end_time", "end"),
        "placeOfService": text(first(raw, "place_of_service", "placeOfService", "pos")),
        "telehealth": {"enabled": enabled, "link": link if enabled else None},
        "reminders": {"email": email, "sms": sms},
        "notes": multiline_text(raw.get("notes")),
        "referenceId": text(first(raw, "reference_id", "referenceId")),
        "status": status,
        "cancelReason": cancel_reason,
        "createdAt": portal_timestamp(first(raw, "created_at", "createdAt")),
        "updatedAt": portal_timestamp(first(raw, "updated_at", "updatedAt")),
    })
