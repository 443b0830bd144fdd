"""Encounters with progress notes (versions, signed or not) and treatment plans."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from portwright_valant.sandbox.codes import ICD10_CODES
from portwright_valant.sandbox.seed.appointments import SeededAppointment
from portwright_valant.sandbox.seed.context import SeedContext, iso

__all__ = ["seed_clinical"]

_NOTE_OPENERS = (
    "Client reports improved sleep and fewer intrusive thoughts since last session.",
    "Client describes ongoing low mood with reduced energy; engaged well in session.",
    "Reviewed coping skills; client practiced paced breathing and grounding.",
    "Medication reviewed; no side effects reported; adherence good.",
    "Client missed homework but discussed barriers; motivation moderate.",
)
_PLAN_GOALS = (
    "Reduce PHQ-9 score by 50% within 12 weeks",
    "Use two coping strategies daily for anxiety",
    "Return to work part-time within 8 weeks",
    "Sleep at least 6 hours on 5 nights per week",
)
_INTERVENTIONS = ("CBT weekly", "Behavioral activation", "Medication management monthly",
                  "Prolonged exposure therapy", "Mindfulness skills group")


def seed_clinical(
    conn: sqlite3.Connection, ctx: SeedContext, appointments: list[SeededAppointment]
) -> None:
    rng = ctx.rng
    encounters: list[tuple[str, ...]] = []
    notes: list[tuple[object, ...]] = []
    plans: list[tuple[object, ...]] = []
    planned: set[str] = set()
    for apt in appointments:
        if apt.status != "completed":
            continue
        enc_id = ctx.new_id("enc")
        encounters.append((enc_id, apt.id, apt.patient_id, apt.provider_id,
                           apt.start.date().isoformat(), apt.type_name))
        note_id = ctx.new_id("note")
        written = apt.start + timedelta(hours=1)
        recent = (ctx.today - apt.start.date()).days <= 3
        signed = not recent and rng.random() < 0.9
        body = (f"{rng.choice(_NOTE_OPENERS)} Diagnoses addressed: "
                f"{', '.join(apt.diagnosis_codes)}. Plan: continue current treatment.")
        notes.append((note_id, enc_id, 1, body, int(signed),
                      iso(written + timedelta(hours=2)) if signed else None,
                      apt.provider_id if signed else None, iso(written)))
        if signed and rng.random() < 0.15:
            amended = written + timedelta(days=1)
            notes.append((note_id, enc_id, 2, body + " Addendum: safety plan reviewed.", 1,
                          iso(amended + timedelta(hours=1)), apt.provider_id, iso(amended)))
        if apt.type_name == "Intake" and apt.patient_id not in planned:
            planned.add(apt.patient_id)
            plan_id = ctx.new_id("tp")
            problem = ICD10_CODES[apt.diagnosis_codes[0]]
            created = apt.start + timedelta(days=1)
            goals = "; ".join(rng.sample(_PLAN_GOALS, 2))
            plans.append((plan_id, apt.patient_id, apt.provider_id, 1, problem, goals,
                          rng.choice(_INTERVENTIONS), 1, iso(created + timedelta(hours=3)),
                          iso(created)))
            if rng.random() < 0.35:
                revised = created + timedelta(days=rng.randint(20, 60))
                if revised < ctx.now:
                    signed_v2 = rng.random() < 0.6
                    plans.append((plan_id, apt.patient_id, apt.provider_id, 2, problem,
                                  goals + "; " + rng.choice(_PLAN_GOALS),
                                  rng.choice(_INTERVENTIONS), int(signed_v2),
                                  iso(revised + timedelta(hours=2)) if signed_v2 else None,
                                  iso(revised)))
    conn.executemany("INSERT INTO encounters VALUES (?,?,?,?,?,?)", encounters)
    conn.executemany("INSERT INTO progress_notes VALUES (?,?,?,?,?,?,?,?)", notes)
    conn.executemany("INSERT INTO treatment_plans VALUES (?,?,?,?,?,?,?,?,?,?)", plans)
