"""Staff to-dos: sign notes, call patients back, verify insurance."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from portwright_valant.sandbox.seed.context import SeedContext, iso
from portwright_valant.sandbox.seed.patients import PatientSeed
from portwright_valant.sandbox.seed.practice import PracticeSeed

__all__ = ["seed_tasks"]

_TITLES = ("Sign progress note", "Call patient back re: refill", "Verify insurance eligibility",
           "Review PHQ-9 item 9 response", "Send intake packet", "Update treatment plan",
           "Fax records release", "Follow up on denied claim")


def seed_tasks(
    conn: sqlite3.Connection, ctx: SeedContext, practice: PracticeSeed, patients: PatientSeed
) -> None:
    rng = ctx.rng
    rows = []
    for _ in range(min(40, 10 + len(patients.ids) // 5)):
        patient = rng.choice(patients.ids) if patients.ids and rng.random() < 0.8 else None
        due = ctx.today + timedelta(days=rng.randint(-10, 20))
        rows.append((ctx.new_id("tsk"), rng.choice(_TITLES), patient,
                     rng.choice(practice.provider_ids), due.isoformat(),
                     rng.choice(("low", "normal", "normal", "high")),
                     "done" if rng.random() < 0.3 else "open",
                     iso(ctx.now - timedelta(days=rng.randint(1, 30)))))
    conn.executemany("INSERT INTO tasks VALUES (?,?,?,?,?,?,?,?)", rows)
