"""The seeded portal data: deterministic per seed, and clinically/billing-wise plausible.

Expected facts (NPI Luhn rule, instrument bands, code sets) are written here from the
reference documents, not imported from the sandbox, so the tests can catch its mistakes.
"""

from __future__ import annotations

import itertools
import json
import re
import sqlite3
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import simple_icd_10_cm as icd

from portwright_valant.sandbox.config import SandboxConfig
from portwright_valant.sandbox.database import prepare_database

TODAY = date(2026, 11, 30)


def _seeded(tmp_path: Path, name: str, **options: object) -> sqlite3.Connection:
    options.setdefault("today", TODAY)
    config = SandboxConfig(db_path=tmp_path / name, **options)  # type: ignore[arg-type]
    conn = sqlite3.connect(prepare_database(config))
    conn.row_factory = sqlite3.Row
    return conn


def _portal_dump(conn: sqlite3.Connection) -> list[str]:
    """Every portal row (the auth tables hash passwords with random salts: left out)."""
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name IN ('practice','locations',"
        "'providers','payers','patients','insurance_policies','appointments',"
        "'assessment_results','encounters','progress_notes','treatment_plans','claims',"
        "'remittances','remittance_claims','documents','tasks') ORDER BY name")]
    out = []
    for table in tables:
        out.extend(f"{table}:{tuple(row)!r}" for row in conn.execute(
            f"SELECT * FROM {table} ORDER BY 1, 2"))
    return out


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    return _seeded(tmp_path_factory.mktemp("seed"), "a.sqlite3")


def test_same_seed_and_date_reproduce_the_database_exactly(tmp_path: Path) -> None:
    first = _portal_dump(_seeded(tmp_path, "one.sqlite3", seed=11))
    again = _portal_dump(_seeded(tmp_path, "two.sqlite3", seed=11))
    other = _portal_dump(_seeded(tmp_path, "three.sqlite3", seed=12))
    assert len(first) > 1000
    assert first == again
    assert first != other


def test_reopening_a_database_keeps_what_was_written(tmp_path: Path) -> None:
    conn = _seeded(tmp_path, "keep.sqlite3")
    conn.execute("UPDATE patients SET first_name = 'Changed' WHERE mrn = 'MRN-10001'")
    conn.commit()
    conn.close()
    again = _seeded(tmp_path, "keep.sqlite3")
    assert again.execute("SELECT first_name FROM patients WHERE mrn='MRN-10001'").fetchone()[0] \
        == "Changed"
    assert again.execute("SELECT count(*) FROM patients").fetchone()[0] == 200


def _luhn_npi_ok(npi: str) -> bool:
    digits = [int(c) for c in "80840" + npi]
    total = 0
    for index, digit in enumerate(reversed(digits)):
        if index % 2 == 1:
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return total % 10 == 0


def test_practice_locations_providers_and_payers(db: sqlite3.Connection) -> None:
    assert 2 <= db.execute("SELECT count(*) FROM locations").fetchone()[0] <= 3
    providers = db.execute("SELECT npi, taxonomy_code FROM providers").fetchall()
    assert 8 <= len(providers) <= 15
    for npi, taxonomy in providers:
        assert re.fullmatch(r"[12]\d{9}", npi) and _luhn_npi_ok(npi), npi
        assert re.fullmatch(r"\d{3}[0-9A-Z]{6}X", taxonomy), taxonomy
    assert _luhn_npi_ok(db.execute("SELECT npi FROM practice").fetchone()[0])
    assert _luhn_npi_ok("1234567893")  # the CMS worked example, to trust the helper
    payer_codes = [r[0] for r in db.execute("SELECT payer_code FROM payers")]
    assert payer_codes and all(re.fullmatch(r"[0-9A-Z]{5}", c) for c in payer_codes)


def test_patients_have_complete_valid_records(db: sqlite3.Connection) -> None:
    rows = db.execute("SELECT * FROM patients").fetchall()
    assert len(rows) == 200
    assert len({r["id"] for r in rows}) == 200
    for r in rows:
        assert re.fullmatch(r"pt_[0-9a-f]{6}", r["id"])
        assert re.fullmatch(r"MRN-\d+", r["mrn"])
        assert re.fullmatch(r"\+1\d{10}", r["phone"]), r["phone"]
        assert re.fullmatch(r"[^@\s]+@example\.com", r["email"])
        assert r["status"] in ("active", "inactive", "discharged")
        assert r["portal_status"] in ("not_invited", "invited", "enrolled")
        assert (r["portal_invited_on"] is None) == (r["portal_status"] == "not_invited")
        assert date.fromisoformat(r["dob"]) < TODAY
        assert r["primary_provider_id"].startswith("prv_")
        datetime.strptime(r["updated_at"], "%Y-%m-%dT%H:%M:%SZ")
    statuses = {r["status"] for r in rows}
    assert statuses == {"active", "inactive", "discharged"}
    per_patient = [c for (c,) in db.execute(
        "SELECT (SELECT count(*) FROM insurance_policies i WHERE i.patient_id = p.id) "
        "FROM patients p")]
    assert set(per_patient) == {0, 1, 2}


def test_appointments_are_coded_timed_and_never_double_book(db: sqlite3.Connection) -> None:
    rows = db.execute("SELECT * FROM appointments").fetchall()
    assert rows
    allowed_cpt = {"90791", "90834", "90837", "90853", "99214", "90833"}
    by_provider: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in rows:
        start = datetime.strptime(r["start_time"], "%Y-%m-%dT%H:%M:%SZ")
        assert abs((start.date() - TODAY).days) <= 90
        assert set(r["service_codes"].split(",")) <= allowed_cpt
        for code in r["diagnosis_codes"].split(","):
            assert code.startswith("F") and icd.is_valid_item(code) and icd.is_leaf(code), code
        assert r["place_of_service"] in ("11", "02", "10")
        assert bool(r["telehealth"]) == (r["place_of_service"] in ("02", "10"))
        assert bool(r["telehealth"]) == (r["telehealth_link"] is not None)
        if start.date() > TODAY:
            assert r["status"] in ("scheduled", "cancelled")
        if r["status"] != "cancelled":
            by_provider[r["provider_id"]].append((r["start_time"], r["end_time"]))
    statuses = {r["status"] for r in rows}
    assert {"scheduled", "completed", "no-show", "cancelled"} <= statuses
    assert statuses <= {"scheduled", "checked-in", "completed", "no-show", "cancelled"}
    for slots in by_provider.values():
        slots.sort()
        for (_, end), (next_start, _) in itertools.pairwise(slots):
            assert end <= next_start


# bands from instruments.md (Kroenke 2001, Spitzer 2006; PCL-5 cutoff 31-33)
def _band(instrument: str, total: int) -> str:
    if instrument == "PHQ-9":
        cuts = [(20, "severe"), (15, "moderately severe"), (10, "moderate"), (5, "mild")]
        return next((name for low, name in cuts if total >= low), "none-minimal")
    if instrument == "GAD-7":
        cuts = [(15, "severe"), (10, "moderate"), (5, "mild")]
        return next((name for low, name in cuts if total >= low), "minimal")
    return "probable PTSD" if total >= 33 else "below threshold"


def test_assessment_totals_and_severities_follow_the_instruments(db: sqlite3.Connection) -> None:
    rows = db.execute("SELECT * FROM assessment_results").fetchall()
    sizes = {"PHQ-9": (9, 3), "GAD-7": (7, 3), "PCL-5": (20, 4)}
    assert {r["instrument"] for r in rows} == set(sizes)
    for r in rows:
        answers = json.loads(r["answers"])
        count, top = sizes[r["instrument"]]
        assert len(answers) == count and all(0 <= a <= top for a in answers)
        assert r["score_total"] == sum(answers)
        assert r["severity"] == _band(r["instrument"], r["score_total"])


def test_claims_bill_completed_insured_visits_and_remittances_balance(
    db: sqlite3.Connection,
) -> None:
    claims = db.execute(
        "SELECT c.*, a.status AS apt_status FROM claims c "
        "JOIN appointments a ON a.id = c.appointment_id").fetchall()
    assert claims
    assert all(c["apt_status"] == "completed" for c in claims)
    assert {"draft", "paid", "denied"} <= {c["status"] for c in claims}
    for rem in db.execute("SELECT * FROM remittances"):
        paid = db.execute(
            "SELECT sum(c.paid_amount) FROM remittance_claims rc JOIN claims c "
            "ON c.id = rc.claim_id WHERE rc.remittance_id = ?", (rem["id"],)).fetchone()[0]
        assert round(paid, 2) == round(rem["total_paid"], 2)
    for c in claims:
        if c["status"] == "paid":
            assert c["paid_amount"] + c["patient_responsibility"] <= c["charge_amount"]


def test_documents_are_real_pdfs(db: sqlite3.Connection) -> None:
    docs = db.execute("SELECT content, size FROM documents").fetchall()
    assert docs
    for content, size in docs[:20]:
        assert content.startswith(b"%PDF-1.4") and content.rstrip().endswith(b"%%EOF")
        assert size == len(content)
        xref = int(content.rsplit(b"startxref", 1)[1].split()[0])
        assert content[xref:xref + 4] == b"xref"


def test_schedule_is_anchored_on_today(tmp_path: Path) -> None:
    later = _seeded(tmp_path, "later.sqlite3", today=TODAY + timedelta(days=7))
    first = later.execute("SELECT min(start_time) FROM appointments").fetchone()[0]
    assert first[:10] >= (TODAY + timedelta(days=7 - 90)).isoformat()


def test_today_can_be_pinned_for_every_sandbox_by_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTWRIGHT_SANDBOX_TODAY", "2026-12-05")
    pinned = sqlite3.connect(prepare_database(SandboxConfig(db_path=tmp_path / "p.sqlite3",
                                                            patients=20)))
    assert pinned.execute("SELECT value FROM meta WHERE key = 'today'").fetchone()[0] == \
        "2026-12-05"
    # a sandbox that sets its own date keeps it
    own = _seeded(tmp_path, "own.sqlite3", patients=20)
    assert own.execute("SELECT value FROM meta WHERE key = 'today'").fetchone()[0] == \
        TODAY.isoformat()
    monkeypatch.setenv("PORTWRIGHT_SANDBOX_TODAY", "5 Dec")
    with pytest.raises(ValueError, match="PORTWRIGHT_SANDBOX_TODAY='5 Dec' is not a date"):
        prepare_database(SandboxConfig(db_path=tmp_path / "bad.sqlite3", patients=20))
