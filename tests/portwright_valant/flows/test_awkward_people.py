"""Patients and their records with awkward real-world values, read back through the flows
in both UI versions and compared field by field with the sandbox database (plain SQL).

The rows are written at test time into portals of this module's own (the other flow tests
compare whole lists with their shared portals and expect seeded-looking rows). Expected
values follow only what a browser shows of a stored text: a one-line field's whitespace
runs as one space; a note keeps its lines.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import Browser

from portwright.engine import Engine, RunResult
from portwright.settings import load_settings
from portwright_valant.sandbox.config import SandboxConfig
from portwright_valant.sandbox.server import SandboxServer
from portwright_valant.testing import SandboxHandle, dev_secrets

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[3]


@dataclass(kw_only=True)
class Portal(SandboxHandle):
    """A running sandbox of one UI version and an engine signed in to it."""

    version: str
    engine: Engine

    async def run(self, flow: str, inputs: Mapping[str, Any] | None = None) -> RunResult:
        return await self.engine.run(flow, dict(inputs or {}))


@pytest_asyncio.fixture(scope="module", loop_scope="session", params=("2025.4", "2026.1"))
async def portal(request: pytest.FixtureRequest, browser: Browser,
                 tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Portal]:
    """This module's own small portal (overrides the shared one of conftest.py)."""
    version: str = request.param
    server = SandboxServer(SandboxConfig(ui_version=version, patients=12, seed=11)).start()
    engine = Engine(load_settings(ROOT, artifacts=tmp_path_factory.mktemp("artifacts")),
                    browser=browser, trace="off", portal_urls={"valant": server.url},
                    secrets=dev_secrets())
    try:
        yield Portal(server=server, mailbox=None, version=version, engine=engine)
    finally:
        await engine.close()
        server.stop()


#: (id, changes to a copy of the first seeded patient)
PEOPLE: tuple[tuple[str, dict[str, Any]], ...] = (
    ("pt_awkapos", {"first_name": "Siobhán", "last_name": "O'Brien-Smith",
                    "dob": "2000-02-29", "email": "", "phone": ""}),
    ("pt_awkaccent", {"first_name": "José", "last_name": "Núñez", "dob": "1996-02-29",
                      "email": "josé.o'núñez+ü@example.com", "phone": "+442071838750"}),
    ("pt_awkcjk", {"first_name": "Zoë", "last_name": "王芳"}),
    ("pt_awkspace", {"first_name": "  Mary   Ann ", "last_name": " Van  Dyke  ",
                     "line1": "  12   Elm St  ", "city": " Walla  Walla "}),
    ("pt_awkhtml", {"first_name": "<b>Bo</b>", "last_name": "&amp; <i>Sons</i> \"Q\" 'R'",
                    "line1": "<script>alert(1)</script> & Co"}),
    ("pt_awklong", {"first_name": "Hubert Blaine Wolfeschlegelsteinhausenbergerdorff " * 2,
                    "last_name": "Wolfeschlegelsteinhausenbergerdorff-" * 4 + "Sr"}),
    ("pt_awknum", {"first_name": "1/2/2003", "last_name": "12345"}),
    ("pt_awkempty", {"first_name": "Ana", "last_name": "Ng", "primary_provider_id": None,
                     "line1": "", "email": "", "phone": "", "portal_status": "invited",
                     "portal_invited_on": "2029-03-11T00:00:00Z"}),
    # one-name people: front desks type a dash or N/A where the form wants a first name
    ("pt_awkmono", {"first_name": "-", "last_name": "Teller"}),
    ("pt_awknull", {"first_name": "N/A", "last_name": "Null"}),
)


def insert(portal: Portal, table: str, row: dict[str, Any]) -> None:
    conn = portal.server.state.connect()
    try:
        conn.execute(f"INSERT OR REPLACE INTO {table} ({', '.join(row)}) "
                     f"VALUES ({', '.join('?' * len(row))})", tuple(row.values()))
        conn.commit()
    finally:
        conn.close()


def first_row(portal: Portal, table: str) -> dict[str, Any]:
    row: sqlite3.Row = portal.query(f"SELECT * FROM {table} ORDER BY id LIMIT 1")[0]
    return dict(row)


def line(value: str | None) -> str | None:
    """What a browser shows of a one-line stored text: whitespace runs as one space."""
    return None if value is None else " ".join(value.split()) or None


def add_people(portal: Portal) -> list[str]:
    seeded = first_row(portal, "patients")
    for n, (patient_id, changes) in enumerate(PEOPLE):
        insert(portal, "patients", seeded | {
            "id": patient_id, "mrn": f"MRN-{99100 + n}",
            "updated_at": f"2029-12-31T23:59:{n:02d}Z"} | changes)
    return [patient_id for patient_id, _ in PEOPLE]


def expected_patient(row: sqlite3.Row, *, full: bool) -> dict[str, Any]:
    address = None
    if full and line(row["line1"]):
        address = {"line1": line(row["line1"]), "line2": None, "city": line(row["city"]),
                   "region": row["region"], "postalCode": row["postal_code"],
                   "country": "US"}
    return {
        "patientId": row["id"], "mrn": row["mrn"],
        "firstName": line(row["first_name"]), "lastName": line(row["last_name"]),
        "dob": row["dob"], "sex": row["sex"],
        "contact": {"email": row["email"] or None, "phone": row["phone"] or None},
        "address": address, "insurance": [],
        "primaryProviderId": row["primary_provider_id"],
        "portalEnrollment": {"status": row["portal_status"],
                             "invitedOn": row["portal_invited_on"]},
        "status": row["status"], "updatedAt": row["updated_at"],
    }


def rows_of(portal: Portal, ids: list[str]) -> list[sqlite3.Row]:
    marks = ", ".join("?" * len(ids))
    return portal.query(f"SELECT * FROM patients WHERE id IN ({marks})", *ids)


async def test_awkward_patients_listed_and_read_from_the_chart(portal: Portal) -> None:
    ids = add_people(portal)
    rows = rows_of(portal, ids)
    for path in ("auto", "dom"):
        listed = await portal.run("valant.patients.list",
                                  {"updated_after": "2029-12-31T00:00:00Z", "path": path})
        got = {p.patient_id: p.to_json_dict() for p in listed.outputs["Patient"]}
        assert got == {r["id"]: expected_patient(r, full=False) for r in rows}, path
    for row in rows:
        chart = await portal.run("valant.patients.get", {"patient_id": row["id"]})
        [person] = chart.outputs["Patient"]
        assert person.to_json_dict() == expected_patient(row, full=True)


NOTE_BODIES = (
    "Line one\n\tIndented: <b>&amp;</b> José 王芳\n\nLast  line  ",
    "  Addendum:\tsafety plan\r\nreviewed & signed <ok>  ",
)


def note_shown(body: str) -> str | None:
    """What a reader gets of a stored note: its lines, tabs and inner spaces as typed (HTML
    turns a CR LF into LF) without the blank space around the whole text."""
    return body.replace("\r\n", "\n").strip() or None


async def test_a_note_with_line_breaks_tabs_and_markup(portal: Portal) -> None:
    add_people(portal)
    appointment = first_row(portal, "appointments") | {
        "id": "apt_awknote", "patient_id": "pt_awkapos", "reference_id": None,
        "status": "completed", "start_time": "2029-03-10T23:30:00Z",
        "end_time": "2029-03-11T00:15:00Z", "cancel_reason": None}
    insert(portal, "appointments", appointment)
    insert(portal, "encounters", {
        "id": "enc_awk", "appointment_id": "apt_awknote", "patient_id": "pt_awkapos",
        "provider_id": appointment["provider_id"], "encounter_date": "2029-03-10",
        "encounter_type": "Intake"})
    for version, body in enumerate(NOTE_BODIES, start=1):
        insert(portal, "progress_notes", {
            "id": "note_awk", "encounter_id": "enc_awk", "version": version, "body": body,
            "signed": 1, "signed_at": f"2029-03-1{version}T00:00:00Z",
            "signed_by": appointment["provider_id"],
            "created_at": f"2029-03-1{version - 1}T23:59:59Z"})
    result = await portal.run("valant.notes.list", {"encounter_id": "enc_awk"})
    [note] = result.outputs["ClinicalNote"]
    rows = portal.query("SELECT * FROM progress_notes WHERE id = 'note_awk' ORDER BY version")
    assert [v.to_json_dict() for v in note.versions] == [{
        "version": r["version"], "body": note_shown(r["body"]),
        "createdAt": r["created_at"], "signed": bool(r["signed"]),
        "signedAt": r["signed_at"], "signedBy": r["signed_by"]} for r in rows]


async def test_appointments_around_midnight_utc_and_a_dst_change_with_multiline_notes(
        portal: Portal) -> None:
    add_people(portal)
    provider = portal.scalar("SELECT id FROM providers ORDER BY id DESC LIMIT 1")
    # US clocks spring forward on 2029-03-11: UTC times must not move with them
    for n, (start, end) in enumerate((("2029-03-10T23:30:00Z", "2029-03-11T00:15:00Z"),
                                      ("2029-03-11T00:00:00Z", "2029-03-11T00:45:00Z"),
                                      ("2029-03-11T23:59:00Z", "2029-03-12T00:44:00Z"))):
        insert(portal, "appointments", first_row(portal, "appointments") | {
            "id": f"apt_awkdst{n}", "patient_id": "pt_awkcjk", "provider_id": provider,
            "reference_id": None, "status": "scheduled", "cancel_reason": None,
            "start_time": start, "end_time": end, "place_of_service": "10", "telehealth": 1,
            "telehealth_link": f"https://video.example/j/{n}?pwd=a&b=%3Cc%3E&name=Zo%C3%AB",
            "notes": "Front desk:\r\n\t- bring ID & <insurance> card\n\t- ask for  王芳 "})
    result = await portal.run("valant.appointments.list", {
        "start_date": "2029-03-10", "end_date": "2029-03-11", "provider_id": provider})
    got = {a.appointment_id: (a.patient_id, a.start_time, a.end_time, a.notes,
                              a.telehealth.link) for a in result.outputs["Appointment"]}
    rows = portal.query("SELECT * FROM appointments WHERE provider_id = ? AND "
                        "start_time >= '2029-03-10' AND start_time < '2029-03-12'", provider)
    assert {k: (p, s.isoformat().replace("+00:00", "Z"), e.isoformat().replace("+00:00", "Z"),
                n, link) for k, (p, s, e, n, link) in got.items()} == {
        r["id"]: (r["patient_id"], r["start_time"], r["end_time"], note_shown(r["notes"]),
                  r["telehealth_link"]) for r in rows}


async def test_assessments_at_midnight_and_tasks_due_on_a_leap_day(portal: Portal) -> None:
    add_people(portal)
    provider = portal.scalar("SELECT id FROM providers ORDER BY id LIMIT 1")
    for n, moment in enumerate(("2029-03-11T00:00:00Z", "2029-11-04T06:59:59Z")):
        insert(portal, "assessment_results", {
            "id": f"asr_awk{n}", "patient_id": "pt_awkaccent", "provider_id": provider,
            "appointment_id": None, "instrument": "PHQ-9", "version": "1.0",
            "score_total": 5, "severity": "mild", "answers": "[1, 1, 1, 1, 1, 0, 0, 0, 0]",
            "completed_on": moment, "collected_via": "portal"})
    result = await portal.run("valant.assessments.list", {"patient_id": "pt_awkaccent"})
    got = {r.assessment_result_id: r.to_json_dict() for r in result.outputs["AssessmentResult"]}
    rows = portal.query("SELECT * FROM assessment_results WHERE patient_id = 'pt_awkaccent'")
    assert {k: (v["patientId"], v["providerId"], v["appointmentId"], v["instrument"],
                v["version"], v["completedOn"], v["collectedVia"], v["reportedScoreTotal"],
                [a["value"] for a in v["answers"]]) for k, v in got.items()} == {
        r["id"]: (r["patient_id"], r["provider_id"], r["appointment_id"], r["instrument"],
                  r["version"], r["completed_on"], r["collected_via"], r["score_total"],
                  json.loads(r["answers"])) for r in rows}

    for n, title in enumerate(("Call\tback re:\n<b>refill</b> & \"forms\"  ",
                               "王芳 — ask about Zoë's school note", "2028-02-29")):
        insert(portal, "tasks", {
            "id": f"tsk_awk{n}", "title": title, "patient_id": "pt_awkhtml",
            "assignee_id": provider, "due_date": "2028-02-29", "priority": "normal",
            "status": "open", "created_at": f"2029-03-1{n}T00:00:00Z"})
    tasks = await portal.run("valant.tasks.list", {"status": "all", "patient": "MRN-99104"})
    got_tasks = {t.task_id: t.to_json_dict() for t in tasks.outputs["Task"]}
    assert got_tasks == {r["id"]: {
        "taskId": r["id"], "title": line(r["title"]), "description": None,
        "patientId": r["patient_id"], "assigneeId": r["assignee_id"],
        "dueDate": r["due_date"], "priority": r["priority"], "status": r["status"],
        "createdAt": r["created_at"], "completedAt": None}
        for r in portal.query("SELECT * FROM tasks WHERE patient_id = 'pt_awkhtml'")}


async def test_a_document_whose_file_name_is_not_plain_ascii(portal: Portal,
                                                            tmp_path: Path) -> None:
    add_people(portal)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    upload = tmp_path / "Zoë's consent 王芳 · v2 (final);.pdf"
    upload.write_bytes(pdf)
    result = await portal.run("valant.documents.upload", {
        "patient_id": "pt_awkcjk", "file": str(upload), "document_type": "consent",
        "title": "  Consent <signed> & \"dated\"  王芳 "})
    [document] = result.outputs["Document"]
    row = portal.query("SELECT * FROM documents WHERE id = ?", document.document_id)[0]
    assert (row["patient_id"], row["filename"], bytes(row["content"])) == \
        ("pt_awkcjk", upload.name, pdf)
    assert document.to_json_dict() == {
        "documentId": row["id"], "patientId": row["patient_id"], "documentType": row["kind"],
        "title": line(row["title"]), "fileName": row["filename"],
        "contentType": row["content_type"], "sizeBytes": row["size"], "sha256": None,
        "uploadedBy": None, "uploadedAt": row["uploaded_at"]}


async def name_search(portal: Portal, query: str) -> tuple[set[str], set[str]]:
    """(who patients.list found for ``query``, who the database says it should find: a
    first or last name starting with what was typed, case aside, as a real portal's
    search matches)."""
    add_people(portal)
    listed = await portal.run("valant.patients.list", {"query": query})
    names = portal.query("SELECT id, first_name, last_name FROM patients")
    return {p.patient_id for p in listed.outputs["Patient"]}, {
        r["id"] for r in names if any(n.lower().startswith(query.lower()) for n in (r[1], r[2]))}


@pytest.mark.parametrize("query", ["NÚÑEZ", "zoË", "siobhÁn", "王", "o'brien-"])
async def test_name_search_ignores_case_in_every_script(portal: Portal, query: str) -> None:
    found, expected = await name_search(portal, query)
    assert found == expected and expected


@pytest.mark.parametrize("query", ["%", "_", "N_"])
async def test_name_search_takes_like_wildcards_as_typed_letters(portal: Portal,
                                                                 query: str) -> None:
    found, expected = await name_search(portal, query)
    assert found == expected
