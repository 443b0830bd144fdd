"""The sandbox's SQLite schema and database initialisation.

The schema is the portal's ground truth: tests compare what a flow extracted with these
rows. Users, sessions and MFA tables belong to the auth package (``AUTH_SCHEMA_SQL``);
everything clinical, scheduling and billing is defined here.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

__all__ = ["SCHEMA_SQL", "create_schema", "open_database"]

SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS practice (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, npi TEXT NOT NULL, tax_id TEXT NOT NULL,
  taxonomy_code TEXT NOT NULL, line1 TEXT NOT NULL, city TEXT NOT NULL, region TEXT NOT NULL,
  postal_code TEXT NOT NULL, phone TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS locations (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, line1 TEXT NOT NULL, city TEXT NOT NULL,
  region TEXT NOT NULL, postal_code TEXT NOT NULL, phone TEXT NOT NULL,
  default_pos TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS providers (
  id TEXT PRIMARY KEY, first_name TEXT NOT NULL, last_name TEXT NOT NULL,
  credential TEXT NOT NULL, npi TEXT NOT NULL UNIQUE, taxonomy_code TEXT NOT NULL,
  specialty TEXT NOT NULL, email TEXT NOT NULL, location_id TEXT NOT NULL REFERENCES locations(id),
  active INTEGER NOT NULL DEFAULT 1);
CREATE TABLE IF NOT EXISTS payers (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, payer_code TEXT NOT NULL UNIQUE,
  line1 TEXT NOT NULL, city TEXT NOT NULL, region TEXT NOT NULL, postal_code TEXT NOT NULL,
  phone TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS patients (
  id TEXT PRIMARY KEY, mrn TEXT NOT NULL UNIQUE, first_name TEXT NOT NULL,
  last_name TEXT NOT NULL, dob TEXT NOT NULL, sex TEXT NOT NULL, email TEXT NOT NULL,
  phone TEXT NOT NULL, line1 TEXT NOT NULL, city TEXT NOT NULL, region TEXT NOT NULL,
  postal_code TEXT NOT NULL, primary_provider_id TEXT REFERENCES providers(id),
  status TEXT NOT NULL CHECK (status IN ('active','inactive','discharged')),
  portal_status TEXT NOT NULL CHECK (portal_status IN ('not_invited','invited','enrolled')),
  portal_invited_on TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS patients_name ON patients(last_name, first_name);
CREATE INDEX IF NOT EXISTS patients_updated ON patients(updated_at);
CREATE TABLE IF NOT EXISTS insurance_policies (
  id TEXT PRIMARY KEY, patient_id TEXT NOT NULL REFERENCES patients(id),
  rank TEXT NOT NULL CHECK (rank IN ('primary','secondary')),
  payer_id TEXT NOT NULL REFERENCES payers(id), member_id TEXT NOT NULL,
  group_number TEXT NOT NULL, effective_start TEXT NOT NULL, effective_end TEXT);
CREATE INDEX IF NOT EXISTS insurance_patient ON insurance_policies(patient_id);
CREATE TABLE IF NOT EXISTS appointments (
  id TEXT PRIMARY KEY, patient_id TEXT NOT NULL REFERENCES patients(id),
  provider_id TEXT NOT NULL REFERENCES providers(id),
  location_id TEXT NOT NULL REFERENCES locations(id), appointment_type TEXT NOT NULL,
  service_codes TEXT NOT NULL, diagnosis_codes TEXT NOT NULL,
  start_time TEXT NOT NULL, end_time TEXT NOT NULL, place_of_service TEXT NOT NULL,
  telehealth INTEGER NOT NULL, telehealth_link TEXT, reminder_email INTEGER NOT NULL,
  reminder_sms INTEGER NOT NULL, notes TEXT NOT NULL DEFAULT '', reference_id TEXT UNIQUE,
  status TEXT NOT NULL CHECK (status IN
    ('scheduled','checked-in','completed','no-show','cancelled')),
  cancel_reason TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS appointments_provider ON appointments(provider_id, start_time);
CREATE INDEX IF NOT EXISTS appointments_patient ON appointments(patient_id, start_time);
CREATE TABLE IF NOT EXISTS assessment_results (
  id TEXT PRIMARY KEY, patient_id TEXT NOT NULL REFERENCES patients(id),
  provider_id TEXT NOT NULL REFERENCES providers(id), appointment_id TEXT,
  instrument TEXT NOT NULL, version TEXT NOT NULL, score_total INTEGER NOT NULL,
  severity TEXT NOT NULL, answers TEXT NOT NULL, completed_on TEXT NOT NULL,
  collected_via TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS assessments_patient ON assessment_results(patient_id, completed_on);
CREATE TABLE IF NOT EXISTS encounters (
  id TEXT PRIMARY KEY, appointment_id TEXT NOT NULL UNIQUE REFERENCES appointments(id),
  patient_id TEXT NOT NULL REFERENCES patients(id),
  provider_id TEXT NOT NULL REFERENCES providers(id), encounter_date TEXT NOT NULL,
  encounter_type TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS progress_notes (
  id TEXT NOT NULL, encounter_id TEXT NOT NULL REFERENCES encounters(id),
  version INTEGER NOT NULL, body TEXT NOT NULL, signed INTEGER NOT NULL,
  signed_at TEXT, signed_by TEXT, created_at TEXT NOT NULL, PRIMARY KEY (id, version));
CREATE INDEX IF NOT EXISTS notes_encounter ON progress_notes(encounter_id);
CREATE TABLE IF NOT EXISTS treatment_plans (
  id TEXT NOT NULL, patient_id TEXT NOT NULL REFERENCES patients(id),
  provider_id TEXT NOT NULL REFERENCES providers(id), version INTEGER NOT NULL,
  problem TEXT NOT NULL, goals TEXT NOT NULL, interventions TEXT NOT NULL,
  signed INTEGER NOT NULL, signed_at TEXT, created_at TEXT NOT NULL,
  PRIMARY KEY (id, version));
CREATE INDEX IF NOT EXISTS plans_patient ON treatment_plans(patient_id);
CREATE TABLE IF NOT EXISTS claims (
  id TEXT PRIMARY KEY, appointment_id TEXT NOT NULL UNIQUE REFERENCES appointments(id),
  patient_id TEXT NOT NULL REFERENCES patients(id),
  provider_id TEXT NOT NULL REFERENCES providers(id),
  payer_id TEXT NOT NULL REFERENCES payers(id), policy_id TEXT NOT NULL,
  service_codes TEXT NOT NULL, modifiers TEXT NOT NULL DEFAULT '',
  diagnosis_codes TEXT NOT NULL, place_of_service TEXT NOT NULL,
  service_date TEXT NOT NULL, charge_amount REAL NOT NULL, paid_amount REAL,
  patient_responsibility REAL, payer_claim_number TEXT,
  status TEXT NOT NULL CHECK (status IN
    ('draft','submitted','accepted','rejected','paid','denied')),
  submitted_on TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS claims_status ON claims(status);
CREATE TABLE IF NOT EXISTS claim_uploads (
  id TEXT PRIMARY KEY, filename TEXT NOT NULL, size INTEGER NOT NULL, content BLOB NOT NULL,
  interchange_control TEXT NOT NULL, transaction_count INTEGER NOT NULL,
  claim_count INTEGER NOT NULL, uploaded_by TEXT NOT NULL, uploaded_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS remittances (
  id TEXT PRIMARY KEY, payer_id TEXT NOT NULL REFERENCES payers(id),
  trace_number TEXT NOT NULL UNIQUE, payment_date TEXT NOT NULL, total_paid REAL NOT NULL,
  claim_count INTEGER NOT NULL, control_number INTEGER NOT NULL, received_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS remittance_claims (
  remittance_id TEXT NOT NULL REFERENCES remittances(id),
  claim_id TEXT NOT NULL REFERENCES claims(id), PRIMARY KEY (remittance_id, claim_id));
CREATE TABLE IF NOT EXISTS documents (
  id TEXT PRIMARY KEY, patient_id TEXT NOT NULL REFERENCES patients(id),
  kind TEXT NOT NULL CHECK (kind IN ('intake','consent','release','other')),
  title TEXT NOT NULL, filename TEXT NOT NULL, content_type TEXT NOT NULL,
  size INTEGER NOT NULL, content BLOB NOT NULL, uploaded_by TEXT NOT NULL,
  uploaded_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS documents_patient ON documents(patient_id);
CREATE TABLE IF NOT EXISTS tasks (
  id TEXT PRIMARY KEY, title TEXT NOT NULL, patient_id TEXT REFERENCES patients(id),
  assignee_id TEXT REFERENCES providers(id), due_date TEXT NOT NULL,
  priority TEXT NOT NULL CHECK (priority IN ('low','normal','high')),
  status TEXT NOT NULL CHECK (status IN ('open','done')), created_at TEXT NOT NULL);
"""


def create_schema(conn: sqlite3.Connection) -> None:
    """Create every portal table (idempotent)."""
    conn.executescript(SCHEMA_SQL)


def open_database(path: Path) -> sqlite3.Connection:
    """Open ``path`` for seeding: WAL for concurrent readers while the app serves."""
    conn = sqlite3.connect(path, check_same_thread=False)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn
