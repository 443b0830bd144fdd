"""PHQ-9, GAD-7 and PCL-5 results with item answers, scored by the published rules.

Each patient has a stable symptom level, so repeated measures look like a course of
care rather than noise; totals and severities come from ``instruments.py``.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

from portwright_valant.sandbox.instruments import INSTRUMENTS
from portwright_valant.sandbox.seed.appointments import SeededAppointment
from portwright_valant.sandbox.seed.context import SeedContext, iso

__all__ = ["seed_assessments"]

#: symptom level → weights over item values 0..3 (PCL-5 adds a 4th value)
_WEIGHTS = ((70, 22, 6, 2), (30, 40, 22, 8), (12, 30, 35, 23), (5, 15, 35, 45))


def seed_assessments(
    conn: sqlite3.Connection, ctx: SeedContext, appointments: list[SeededAppointment]
) -> int:
    rng = ctx.rng
    level: dict[str, int] = {}
    rows = []
    for apt in appointments:
        if apt.status != "completed":
            continue
        if apt.patient_id not in level:
            level[apt.patient_id] = rng.randrange(4)
        wanted = []
        if rng.random() < 0.55:
            wanted.append("PHQ-9")
        if rng.random() < 0.4:
            wanted.append("GAD-7")
        if apt.type_name == "Intake" and rng.random() < 0.5:
            wanted.append("PCL-5")
        for name in wanted:
            instrument = INSTRUMENTS[name]
            weights = list(_WEIGHTS[level[apt.patient_id]])
            values = list(range(4))
            if instrument.max_item == 4:
                weights = [*weights, weights[-1] // 2]
                values = list(range(5))
            answers = rng.choices(values, weights=weights, k=instrument.items)
            total, severity = instrument.score(answers)
            completed = apt.start - timedelta(minutes=rng.randint(5, 60 * 24))
            via = "patient_portal" if rng.random() < 0.6 else "in_clinic"
            rows.append(
                (ctx.new_id("asr"), apt.patient_id, apt.provider_id, apt.id, name,
                 instrument.version, total, severity, json.dumps(answers), iso(completed), via)
            )
    conn.executemany(
        "INSERT INTO assessment_results VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows
    )
    return len(rows)
