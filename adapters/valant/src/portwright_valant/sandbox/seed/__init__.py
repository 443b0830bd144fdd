"""Deterministic seed data, one module per family, run in a fixed order in one transaction.

``seed_database(conn, config)`` fills an empty schema. The same seed and anchor date
always produce the same rows (tests check it), and 100,000 patients seed in seconds.
"""

from __future__ import annotations

import os
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

__all__ = ["TODAY_ENV", "anchor_date", "seed_database"]


#: pins the anchor date of every sandbox that does not set its own (``YYYY-MM-DD``): the
#: seeded schedule moves with the date, so a test that fails on one day can be replayed
#: on that day, and the suite can be run "on" a weekend or a year's end
TODAY_ENV = "PORTWRIGHT_SANDBOX_TODAY"


def anchor_date(config: SandboxConfig) -> date:
    """The schedule's "today": the configured one, else ``$PORTWRIGHT_SANDBOX_TODAY``, else
    the real UTC date."""
    if config.today is not None:
        return config.today
    pinned = os.environ.get(TODAY_ENV, "").strip()
    if not pinned:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(pinned)
    except ValueError:
        raise ValueError(f"{TODAY_ENV}={pinned!r} is not a date; expected YYYY-MM-DD, "
                         f"e.g. 2026-12-05") from None


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
