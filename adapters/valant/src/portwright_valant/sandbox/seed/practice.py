"""The practice, its locations, its providers (Luhn-valid NPIs) and the payers it bills."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from portwright_valant.sandbox.codes import npi_check_digit
from portwright_valant.sandbox.seed.context import SeedContext
from portwright_valant.sandbox.seed.names import FIRST_NAMES, LAST_NAMES

__all__ = ["PracticeSeed", "seed_practice"]

_LOCATIONS = (
    ("Cascadia BH - Capitol Hill", "200 Wellness Ave", "Seattle", "WA", "98109", "+12065550110"),
    ("Cascadia BH - Bellevue", "1550 NE 8th St", "Bellevue", "WA", "98004", "+14255550120"),
    ("Cascadia BH - Tacoma", "909 Pacific Ave", "Tacoma", "WA", "98402", "+12535550130"),
)
#: (credential, taxonomy code, specialty)
_ROLES = (
    ("MD", "2084P0800X", "Psychiatry"),
    ("PMHNP", "363LP0808X", "Psychiatric/Mental Health Nurse Practitioner"),
    ("PhD", "103TC0700X", "Clinical Psychologist"),
    ("LICSW", "1041C0700X", "Clinical Social Worker"),
    ("LMHC", "101YM0800X", "Mental Health Counselor"),
    ("LMFT", "106H00000X", "Marriage & Family Therapist"),
)
_PAYERS = (
    ("payer_regence", "Regence BlueShield", "00932", "Portland", "OR", "97201"),
    ("payer_premera", "Premera Blue Cross", "00430", "Mountlake Terrace", "WA", "98043"),
    ("payer_aetna", "Aetna", "60054", "Hartford", "CT", "06156"),
    ("payer_cigna", "Cigna", "62308", "Bloomfield", "CT", "06002"),
    ("payer_uhc", "UnitedHealthcare", "87726", "Minneapolis", "MN", "55440"),
    ("payer_molina", "Molina Healthcare of Washington", "38336", "Bothell", "WA", "98011"),
)


@dataclass(frozen=True)
class PracticeSeed:
    """Ids the later families need: who can be booked where, and who pays."""

    location_ids: list[str]
    location_pos: dict[str, str]
    provider_ids: list[str]
    provider_location: dict[str, str]
    provider_prescribes: dict[str, bool]
    payer_ids: list[str]


def _npi(ctx: SeedContext, used: set[str]) -> str:
    while True:
        base = str(ctx.rng.choice("12")) + f"{ctx.rng.randrange(10**8):08d}"
        npi = base + npi_check_digit(base)
        if npi not in used:
            used.add(npi)
            return npi


def seed_practice(conn: sqlite3.Connection, ctx: SeedContext) -> PracticeSeed:
    rng = ctx.rng
    used_npis: set[str] = set()
    conn.execute(
        "INSERT INTO practice VALUES (?,?,?,?,?,?,?,?,?,?)",
        ("prac_cascadia", "Cascadia Behavioral Health", _npi(ctx, used_npis), "911234567",
         "261QM0801X", "200 Wellness Ave", "Seattle", "WA", "98109", "+12065550100"),
    )
    n_locations = rng.choice((2, 3))
    location_rows = []
    for name, line1, city, region, postal, phone in _LOCATIONS[:n_locations]:
        location_rows.append((ctx.new_id("loc"), name, line1, city, region, postal, phone, "11"))
    conn.executemany("INSERT INTO locations VALUES (?,?,?,?,?,?,?,?)", location_rows)
    location_ids = [r[0] for r in location_rows]

    n_providers = rng.randint(8, 15)
    provider_rows = []
    prescribes: dict[str, bool] = {}
    for index in range(n_providers):
        credential, taxonomy, specialty = _ROLES[index % len(_ROLES)]
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        pid = ctx.new_id("prv")
        prescribes[pid] = credential in ("MD", "PMHNP")
        email = f"{first.lower()}.{last.lower().replace(chr(39), '')}@cascadia-bh.example"
        provider_rows.append(
            (pid, first, last, credential, _npi(ctx, used_npis), taxonomy, specialty, email,
             location_ids[index % len(location_ids)], 1)
        )
    conn.executemany("INSERT INTO providers VALUES (?,?,?,?,?,?,?,?,?,?)", provider_rows)

    payer_rows = [
        (pid, name, code, "PO Box " + str(1000 + i * 37), city, region, postal,
         f"+1800555{(200 + i):04d}")
        for i, (pid, name, code, city, region, postal) in enumerate(_PAYERS)
    ]
    conn.executemany("INSERT INTO payers VALUES (?,?,?,?,?,?,?,?)", payer_rows)
    return PracticeSeed(
        location_ids=location_ids,
        location_pos={lid: "11" for lid in location_ids},
        provider_ids=[r[0] for r in provider_rows],
        provider_location={r[0]: r[8] for r in provider_rows},
        provider_prescribes=prescribes,
        payer_ids=[r[0] for r in payer_rows],
    )
