"""Server-side validation of the new/edit appointment form.

Every rule an adapter must be able to detect and report lives here, with a message per
field: required fields, code formats (CPT, ICD-10-CM billable codes, POS), end before
start, unknown patient/provider/location, a telehealth/POS mismatch, a reused reference
id, and an overlapping appointment for the same provider.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

import simple_icd_10_cm as icd

from portwright_valant.sandbox.codes import APPOINTMENT_TYPES, CPT_CHARGES, PLACES_OF_SERVICE

__all__ = ["FORM_FIELDS", "AppointmentValues", "parse_codes", "validate_appointment"]

FORM_FIELDS: tuple[str, ...] = (
    "patient_id", "patient_query", "provider_id", "location_id", "appointment_type",
    "service_codes", "diagnosis_codes", "date", "start_time", "end_time", "place_of_service",
    "telehealth", "reminder_email", "reminder_sms", "notes", "reference_id",
)
_CPT = re.compile(r"^\d{5}$")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_REFERENCE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


@dataclass(frozen=True)
class AppointmentValues:
    """A validated form, ready to write."""

    patient_id: str
    provider_id: str
    location_id: str
    appointment_type: str
    service_codes: str
    diagnosis_codes: str
    start_time: str
    end_time: str
    place_of_service: str
    telehealth: bool
    reminder_email: bool
    reminder_sms: bool
    notes: str
    reference_id: str | None


def parse_codes(text: str) -> list[str]:
    """Codes typed as "99214, 90833" or "99214+90833" or one per line."""
    return [c.strip().upper() for c in re.split(r"[,+\s]+", text) if c.strip()]


def _resolve_patient(conn: sqlite3.Connection, patient_id: str, query: str) -> str | None:
    if patient_id:
        row = conn.execute("SELECT id FROM patients WHERE id = ?", (patient_id,)).fetchone()
        return str(row["id"]) if row else None
    text = query.strip()
    if not text:
        return None
    # the typeahead label is "Last, First (MRN-10027, DOB ...)": accept it, an MRN or an id
    mrn = re.search(r"MRN-\d+", text, re.IGNORECASE)
    if mrn:
        row = conn.execute("SELECT id FROM patients WHERE mrn = ?", (mrn.group(0).upper(),)
                           ).fetchone()
    else:
        row = conn.execute("SELECT id FROM patients WHERE id = ?", (text,)).fetchone()
    return str(row["id"]) if row else None


def _check_diagnoses(codes: list[str]) -> str | None:
    if not codes:
        return "At least one diagnosis (ICD-10-CM) code is required"
    for code in codes:
        if not re.match(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$", code):
            return f"{code} is not an ICD-10-CM code (expected e.g. F41.1)"
        if not icd.is_valid_item(code):
            return f"{code} is not in the ICD-10-CM code set"
        if not icd.is_leaf(code):
            return f"{code} is a category, not a billable code; add the subcode (e.g. {code}0)"
    return None


def _check_services(codes: list[str]) -> str | None:
    if not codes:
        return "A CPT code is required"
    for code in codes:
        if not _CPT.match(code):
            return f"{code} is not a CPT code (expected 5 digits, e.g. 90834)"
        if code not in CPT_CHARGES:
            return f"{code} is not on this practice's fee schedule"
    if "90833" in codes and not any(c.startswith("992") for c in codes):
        return "Add-on 90833 must be billed with an E/M code (e.g. 99214)"
    return None


def validate_appointment(
    conn: sqlite3.Connection, form: dict[str, str], appointment_id: str | None = None
) -> tuple[AppointmentValues | None, dict[str, str]]:
    """Validate ``form``; returns the values or a field → message map (never both)."""
    errors: dict[str, str] = {}

    def text(name: str) -> str:
        return form.get(name, "").strip()

    patient_id = _resolve_patient(conn, text("patient_id"), text("patient_query"))
    if patient_id is None:
        errors["patient_id"] = ("Patient is required" if not (text("patient_id") or
                                text("patient_query")) else "Patient not found")
    provider_id = text("provider_id")
    if not provider_id:
        errors["provider_id"] = "Provider is required"
    elif conn.execute("SELECT 1 FROM providers WHERE id = ?", (provider_id,)).fetchone() is None:
        errors["provider_id"] = "Unknown provider"
    location_id = text("location_id")
    if not location_id:
        errors["location_id"] = "Location is required"
    elif conn.execute("SELECT 1 FROM locations WHERE id = ?", (location_id,)).fetchone() is None:
        errors["location_id"] = "Unknown location"
    appointment_type = text("appointment_type")
    if appointment_type not in APPOINTMENT_TYPES:
        errors["appointment_type"] = "Appointment type is required"
    services = parse_codes(text("service_codes"))
    if appointment_type in APPOINTMENT_TYPES and not services:
        services = list(APPOINTMENT_TYPES[appointment_type].service_codes)
    problem = _check_services(services)
    if problem:
        errors["service_codes"] = problem
    diagnoses = parse_codes(text("diagnosis_codes"))
    problem = _check_diagnoses(diagnoses)
    if problem:
        errors["diagnosis_codes"] = problem
    pos = text("place_of_service")
    if not pos:
        errors["place_of_service"] = "Place of service is required"
    elif pos not in PLACES_OF_SERVICE:
        errors["place_of_service"] = f"{pos} is not a place of service this practice uses"
    telehealth = form.get("telehealth") in ("on", "true", "1", "yes")
    if telehealth and pos == "11":
        errors["place_of_service"] = "Telehealth visits use place of service 02 or 10"
    start = end = None
    day = text("date")
    try:
        if day and not _DAY.fullmatch(day):  # strptime also takes 2026-1-5
            raise ValueError(day)
        parsed_day = datetime.strptime(day, "%Y-%m-%d").date() if day else None
    except ValueError:
        parsed_day = None
        errors["date"] = "Date must be YYYY-MM-DD"
    if not day:
        errors["date"] = "Date is required"
    for name, label in (("start_time", "Start time"), ("end_time", "End time")):
        value = text(name)
        if not value:
            errors[name] = f"{label} is required"
        elif not _TIME.match(value):
            errors[name] = f"{label} must be HH:MM (24-hour)"
    if parsed_day and "start_time" not in errors and "end_time" not in errors:
        start = datetime.combine(parsed_day, datetime.strptime(text("start_time"), "%H:%M").time())
        end = datetime.combine(parsed_day, datetime.strptime(text("end_time"), "%H:%M").time())
        if end <= start:
            errors["end_time"] = "End time must be after the start time"
        elif end - start > timedelta(hours=4):
            errors["end_time"] = "Appointments cannot be longer than 4 hours"
    reference = text("reference_id") or None
    if reference is not None:
        if not _REFERENCE.match(reference):
            errors["reference_id"] = "Reference id: up to 64 letters, digits, . _ : -"
        else:
            taken = conn.execute(
                "SELECT id FROM appointments WHERE reference_id = ? AND id IS NOT ?",
                (reference, appointment_id)).fetchone()
            if taken:
                errors["reference_id"] = f"Reference id already used by appointment {taken['id']}"
    notes = form.get("notes", "")
    if len(notes) > 2000:
        errors["notes"] = "Notes are limited to 2000 characters"
    start_iso = start.strftime("%Y-%m-%dT%H:%M:00Z") if start else ""
    end_iso = end.strftime("%Y-%m-%dT%H:%M:00Z") if end else ""
    if start and end and "end_time" not in errors and "provider_id" not in errors:
        clash = conn.execute(
            "SELECT a.id, a.start_time, a.end_time FROM appointments a WHERE a.provider_id = ? "
            "AND a.status != 'cancelled' AND a.start_time < ? AND a.end_time > ? "
            "AND a.id IS NOT ? ORDER BY a.start_time LIMIT 1",
            (provider_id, end_iso, start_iso, appointment_id)).fetchone()
        if clash:
            errors["start_time"] = (
                f"Provider already has appointment {clash['id']} from "
                f"{clash['start_time'][11:16]} to {clash['end_time'][11:16]}")
    if errors or patient_id is None:
        return None, errors
    return AppointmentValues(
        patient_id=patient_id, provider_id=provider_id, location_id=location_id,
        appointment_type=appointment_type, service_codes=",".join(services),
        diagnosis_codes=",".join(diagnoses), start_time=start_iso, end_time=end_iso,
        place_of_service=pos, telehealth=telehealth,
        reminder_email=form.get("reminder_email") in ("on", "true", "1", "yes"),
        reminder_sms=form.get("reminder_sms") in ("on", "true", "1", "yes"),
        notes=notes.strip(), reference_id=reference,
    ), {}
