"""What the Valant adapter tells portwright's recording machinery.

``planted_values()`` lists what the sandbox is known to hold, so the recordings audit can
search for each in any notation: the seeded patients of the default seed (names, also as
an 835 writes them, MRNs, emails, phones, street lines, member ids, dates of birth) and
every account credential (passwords, TOTP seeds, the SMS provider's token).

Dates of birth are planted as dates (``is_date``): the audit searches each in every
notation the portal and the recordings use (``2019-03-07``, ``03/07/2019``, ``3/7/2019``,
X12 ``20190307``...), and the same list keeps date pseudonyms off them (the scrub policy
portwright builds from these hooks avoids the planted dates). Without that, a real birth
date shifted by the scrubber is often another seeded patient's, and the audit could not
search for birth dates without false alarms.

The scrub policy itself is ``scrub_policy.yaml`` next to this module.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from portwright.recording.hooks import PlantedValue

__all__ = ["planted_values"]


def _patients(db: Path) -> Iterator[PlantedValue]:
    conn = sqlite3.connect(db)
    try:
        for first, last, mrn, email, phone, line1, dob in conn.execute(
                "SELECT first_name, last_name, mrn, email, phone, line1, dob FROM patients"):
            yield PlantedValue("seeded patient name", f"{first} {last}")
            yield PlantedValue("seeded patient name", f"{last}, {first}")
            # an 835's NM1*QC segment: LAST*FIRST in capitals (X12 bodies are kept, scrubbed)
            yield PlantedValue("seeded patient name in X12", f"{last}*{first}".upper())
            yield PlantedValue("seeded patient MRN", mrn)
            yield PlantedValue("seeded patient email", email)
            yield PlantedValue("seeded patient phone", phone)
            yield PlantedValue("seeded patient address", line1)
            # ISO in the database; searched in every notation a date takes
            yield PlantedValue("seeded patient date of birth", dob, is_date=True)
        for (member_id,) in conn.execute("SELECT member_id FROM insurance_policies"):
            yield PlantedValue("seeded member id", member_id)
    finally:
        conn.close()


def _credentials() -> Iterator[PlantedValue]:
    from portwright_valant.sandbox.auth.accounts import ACCOUNTS, IDP_ACCOUNTS, MAILBOX_PASSWORD
    from portwright_valant.sandbox.config import SandboxConfig

    for account in ACCOUNTS:
        if account.password:
            yield PlantedValue(f"password of '{account.username}'", account.password)
        if account.phone:
            yield PlantedValue(f"phone of '{account.username}'", account.phone)
        if account.totp_secret:
            yield PlantedValue(f"TOTP seed of '{account.username}'", account.totp_secret)
    for idp in IDP_ACCOUNTS:
        yield PlantedValue(f"identity-provider password of '{idp.username}'", idp.password)
        yield PlantedValue(f"identity-provider TOTP seed of '{idp.username}'", idp.totp_secret)
    config = SandboxConfig()
    yield PlantedValue("mailbox password", MAILBOX_PASSWORD)
    yield PlantedValue("SMS provider auth token", config.twilio_auth_token)
    yield PlantedValue("SMS provider account id", config.twilio_account_sid)


@lru_cache(maxsize=1)
def _all() -> tuple[PlantedValue, ...]:
    from portwright_valant.sandbox.config import SandboxConfig
    from portwright_valant.sandbox.database import prepare_database

    with tempfile.TemporaryDirectory(prefix="valant-planted-") as folder:
        db = prepare_database(SandboxConfig(db_path=Path(folder) / "seed.sqlite3"))
        values = [*_patients(db), *_credentials()]
    seen: dict[str, PlantedValue] = {}
    for value in values:
        seen.setdefault(value.value, value)
    return tuple(seen.values())


def planted_values() -> tuple[PlantedValue, ...]:
    """Every value a Valant recording must never contain (default seed, all accounts)."""
    return _all()
