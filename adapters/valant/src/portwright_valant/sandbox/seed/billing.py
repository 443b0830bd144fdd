"""Claims for completed, insured appointments, and the 835 remittances that paid them.

Amounts are computed in integer cents, so a remittance always balances:
charge = paid + contractual adjustment (CO-45) + patient responsibility (PR-3).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import date, timedelta

from portwright_valant.sandbox.codes import CPT_CHARGES
from portwright_valant.sandbox.seed.appointments import SeededAppointment
from portwright_valant.sandbox.seed.context import SeedContext, iso
from portwright_valant.sandbox.seed.patients import PatientSeed

__all__ = ["seed_billing"]


def _cents(amount: float) -> int:
    return round(amount * 100)


def seed_billing(
    conn: sqlite3.Connection,
    ctx: SeedContext,
    appointments: list[SeededAppointment],
    patients: PatientSeed,
) -> None:
    rng = ctx.rng
    claims = []
    paid_by_batch: dict[tuple[str, date], list[tuple[str, int]]] = defaultdict(list)
    for apt in appointments:
        if apt.status != "completed" or apt.patient_id not in patients.primary_policy:
            continue
        policy_id, payer_id = patients.primary_policy[apt.patient_id]
        service_date = apt.start.date()
        age = (ctx.today - service_date).days
        if age < 5 and _business_days_since(service_date, ctx.today) < 2:
            continue  # not billed yet: what "create claim" is for (even on a Sunday)
        charge = sum(_cents(CPT_CHARGES[c]) for c in apt.service_codes)
        modifiers = "95" if apt.place_of_service in ("02", "10") else ""
        paid = responsibility = None
        payer_claim = None
        submitted = None
        roll = rng.random()
        if age < 5:
            status = "draft"
        elif age < 14:
            status = "submitted" if roll < 0.6 else "accepted"
        else:
            status = ("paid" if roll < 0.8 else "denied" if roll < 0.9
                      else "rejected" if roll < 0.95 else "accepted")
        if status != "draft":
            submitted = iso(apt.start + timedelta(days=rng.randint(1, 2)))
        if status in ("paid", "denied"):
            payer_claim = f"{rng.randrange(10**11, 10**12)}"
            if status == "paid":
                allowed = charge * 72 // 100
                copay = rng.choice((0, 2000, 2500, 3000))
                copay = min(copay, allowed)
                paid, responsibility = allowed - copay, copay
            else:
                paid, responsibility = 0, 0
            pay_day = service_date + timedelta(days=rng.randint(14, 21))
            pay_day = min(pay_day, ctx.today)
            week_start = pay_day - timedelta(days=pay_day.weekday())
            claim_id = ctx.new_id("clm")
            paid_by_batch[(payer_id, week_start + timedelta(days=3))].append((claim_id, paid))
        else:
            claim_id = ctx.new_id("clm")
        claims.append(
            (claim_id, apt.id, apt.patient_id, apt.provider_id, payer_id, policy_id,
             ",".join(apt.service_codes), modifiers, ",".join(apt.diagnosis_codes),
             apt.place_of_service, service_date.isoformat(), charge / 100,
             None if paid is None else paid / 100,
             None if responsibility is None else responsibility / 100, payer_claim, status,
             submitted, iso(apt.start + timedelta(hours=4)),
             iso(apt.start + timedelta(days=min(age, 21))))
        )
    conn.executemany(
        "INSERT INTO claims VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", claims
    )
    remittances = []
    links: list[tuple[str, str]] = []
    for control, ((payer_id, pay_day), members) in enumerate(sorted(paid_by_batch.items()), 1):
        pay_day = min(pay_day, ctx.today)
        rem_id = ctx.new_id("rmt")
        total = sum(p for _, p in members)
        remittances.append((rem_id, payer_id, f"EFT{rng.randrange(10**9, 10**10)}",
                            pay_day.isoformat(), total / 100, len(members), 1000 + control,
                            iso(ctx.now - timedelta(days=(ctx.today - pay_day).days))))
        links.extend((rem_id, claim_id) for claim_id, _ in members)
    conn.executemany("INSERT INTO remittances VALUES (?,?,?,?,?,?,?,?)", remittances)
    conn.executemany("INSERT INTO remittance_claims VALUES (?,?)", links)


def _business_days_since(day: date, today: date) -> int:
    """Weekdays after ``day`` up to ``today``: a practice bills a visit two business days
    later, so Friday's visits are still unbilled on Monday."""
    return sum(1 for n in range(1, (today - day).days + 1)
               if (day + timedelta(days=n)).weekday() < 5)
