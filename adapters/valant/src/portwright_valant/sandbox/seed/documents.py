"""Intake packets and consents attached to charts, as small real PDF files."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from portwright_valant.sandbox.pdf import intake_pdf
from portwright_valant.sandbox.seed.appointments import SeededAppointment
from portwright_valant.sandbox.seed.context import SeedContext, iso

__all__ = ["seed_documents"]


def seed_documents(
    conn: sqlite3.Connection, ctx: SeedContext, appointments: list[SeededAppointment]
) -> None:
    rng = ctx.rng
    names = {
        row[0]: (row[1], row[2], row[3], row[4])
        for row in conn.execute("SELECT id, first_name, last_name, mrn, dob FROM patients")
    }
    rows = []
    seen: set[str] = set()
    for apt in appointments:
        if apt.type_name != "Intake" or apt.patient_id in seen or apt.start > ctx.now:
            continue
        seen.add(apt.patient_id)
        first, last, mrn, dob = names[apt.patient_id]
        when = apt.start - timedelta(days=rng.randint(1, 5))
        kinds = [("intake", "Intake Packet")]
        if rng.random() < 0.6:
            kinds.append(("consent", "Consent to Treatment"))
        for kind, title in kinds:
            content = intake_pdf(title, f"{first} {last}", mrn, dob, when.date().isoformat())
            rows.append((ctx.new_id("doc"), apt.patient_id, kind, title,
                         f"{kind}-{mrn}.pdf", "application/pdf", len(content), content,
                         "patient_portal", iso(when)))
    conn.executemany("INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
