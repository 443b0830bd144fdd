"""Deterministic seed data, one module per family, run in a fixed order in one transaction.

``seed_database(conn, config)`` fills an empty schema. The same seed and anchor date
always produce the same rows (tests check it), and 100,000 patients seed in seconds.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime

from portwright_valant.sandbox.config import SandboxConfig
from portwright_valant.sandbox.seed.appointments import seed_appointments
from portwright_valant.sandbox.seed.assessments import seed_assessments
from portwright_valant.sandbox.seed.billing import seed_billing
from portwright_valant.sandbox.seed.clinical import seed_clinical
from portwright_valant.sandbox.seed.context import SeedContext
from portwright_valant.sandbox.seed.documents import seed_documents
from portwright_valant.sandbox.seed.patients import seed_patients
from portwright_valant.sandbox.seed.practice import seed_practice
from portwright_valant.sandbox.seed.tasks import seed_tasks

__all__ = ["anchor_date", "seed_database"]


def anchor_date(config: SandboxConfig) -> date:
    """The schedule's "today": the configured one, else the real UTC date."""
    return config.today or datetime.now(UTC).date()


def seed_database(conn: sqlite3.Connection, config: SandboxConfig) -> None:
    """Seed every portal family into ``conn`` (schema must exist) and commit."""
    ctx = SeedContext(seed=config.seed, today=anchor_date(config))
    with conn:
        practice = seed_practice(conn, ctx)
        patients = seed_patients(conn, ctx, practice, config.patients)
        appointments = seed_appointments(conn, ctx, practice, patients)
        seed_assessments(conn, ctx, appointments)
        seed_clinical(conn, ctx, appointments)
        seed_billing(conn, ctx, appointments, patients)
        seed_documents(conn, ctx, appointments)
        seed_tasks(conn, ctx, practice, patients)
        conn.executemany(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)",
            [("seed", str(config.seed)), ("today", ctx.today.isoformat()),
             ("patients", str(config.patients))],
        )
