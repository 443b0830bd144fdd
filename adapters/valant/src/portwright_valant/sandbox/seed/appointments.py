"""Appointments over ±90 days around the anchor date, booked into providers' hourly slots.

A real practice's schedule is bounded by provider capacity, not by the size of its
patient list, so the number of appointments is min(3 x patients, ~60% of the slots).
Slots never overlap, so the seed is consistent with the form's overlap validation.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from portwright_valant.sandbox.codes import APPOINTMENT_TYPES, ICD10_CODES
from portwright_valant.sandbox.seed.context import SeedContext, iso
from portwright_valant.sandbox.seed.patients import PatientSeed
from portwright_valant.sandbox.seed.practice import PracticeSeed

__all__ = ["TELEHEALTH_BASE", "SeededAppointment", "seed_appointments"]

TELEHEALTH_BASE = "https://meet.cascadia-bh.example/tele"
_HOURS = range(8, 17)
_DIAGNOSES = tuple(ICD10_CODES)


@dataclass(frozen=True)
class SeededAppointment:
    id: str
    patient_id: str
    provider_id: str
    location_id: str
    type_name: str
    service_codes: tuple[str, ...]
    diagnosis_codes: tuple[str, ...]
    start: datetime
    place_of_service: str
    status: str


def _status(ctx: SeedContext, start: datetime) -> str:
    roll = ctx.rng.random()
    if start.date() < ctx.today:
        return "completed" if roll < 0.78 else ("no-show" if roll < 0.88 else "cancelled")
    if start.date() == ctx.today:
        if start < ctx.now:
            return "completed" if roll < 0.9 else "no-show"
        return "checked-in" if roll < 0.2 else "scheduled"
    return "scheduled" if roll < 0.9 else "cancelled"


def seed_appointments(
    conn: sqlite3.Connection, ctx: SeedContext, practice: PracticeSeed, patients: PatientSeed
) -> list[SeededAppointment]:
    if not patients.ids:
        return []
    rng = ctx.rng
    slots: list[tuple[str, datetime]] = []
    for offset in range(-90, 91):
        day = ctx.today + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for provider in practice.provider_ids:
            for hour in _HOURS:
                slots.append((provider, datetime.combine(day, time(hour, 0), tzinfo=UTC)))
    target = min(3 * len(patients.ids), int(len(slots) * 0.6))
    chosen = sorted(rng.sample(range(len(slots)), target))
    diagnoses: dict[str, tuple[str, ...]] = {}
    rows = []
    seeded: list[SeededAppointment] = []
    for slot_index in chosen:
        provider, start = slots[slot_index]
        panel = patients.by_provider[provider] or patients.ids
        patient = rng.choice(panel)
        if patient not in diagnoses:
            diagnoses[patient] = tuple(rng.sample(_DIAGNOSES, rng.choice((1, 1, 2))))
        roll = rng.random()
        if practice.provider_prescribes[provider]:
            type_name = "Medication Management" if roll < 0.7 else "Intake"
        else:
            type_name = ("Follow-up" if roll < 0.5 else "Follow-up (60)" if roll < 0.75
                         else "Intake" if roll < 0.88 else "Group")
        appt_type = APPOINTMENT_TYPES[type_name]
        apt_id = ctx.new_id("apt")
        telehealth = rng.random() < 0.3
        pos = ("10" if rng.random() < 0.7 else "02") if telehealth else "11"
        status = _status(ctx, start)
        created = min(start - timedelta(days=rng.randint(1, 30)), ctx.now)
        end = start + timedelta(minutes=appt_type.minutes)
        reference = f"ehr-schedule-{rng.randrange(10000, 99999)}-{apt_id[4:]}" if (
            rng.random() < 0.3) else None
        rows.append(
            (apt_id, patient, provider, practice.provider_location[provider], type_name,
             ",".join(appt_type.service_codes), ",".join(diagnoses[patient]), iso(start),
             iso(end), pos, int(telehealth), f"{TELEHEALTH_BASE}/{apt_id}" if telehealth else None,
             int(rng.random() < 0.8), int(rng.random() < 0.6), "", reference, status,
             "Patient request" if status == "cancelled" else None, iso(created), iso(created))
        )
        seeded.append(
            SeededAppointment(apt_id, patient, provider, practice.provider_location[provider],
                              type_name, appt_type.service_codes, diagnoses[patient], start, pos,
                              status)
        )
    conn.executemany(
        "INSERT INTO appointments VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows
    )
    return seeded
