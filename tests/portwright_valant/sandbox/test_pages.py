"""Read-only pages show exactly what the database holds (both UI versions over HTTP)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from contextlib import closing
from datetime import date, timedelta

import httpx
import pytest

from portwright_valant.testing import SandboxHandle, http_session


@pytest.fixture(scope="module", params=["2025", "2026"])
def portal(request: pytest.FixtureRequest) -> Iterator[tuple[SandboxHandle, httpx.Client]]:
    handle: SandboxHandle = request.getfixturevalue(f"sandbox_{request.param}")
    with closing(http_session(handle)) as client:
        yield handle, client


def _data_ids(html: str, marker: str) -> list[str]:
    """data-id of every element whose tag also carries ``marker`` (a class or test id)."""
    return re.findall(rf'<[a-z]+ [^>]*{re.escape(marker)}[^>]*data-id="([^"]+)"', html)


def test_assessment_detail_lists_every_item_answer(
    portal: tuple[SandboxHandle, httpx.Client]
) -> None:
    sandbox, client = portal
    row = sandbox.query("SELECT * FROM assessment_results WHERE instrument='PCL-5' LIMIT 1")[0]
    html = client.get(f"/assessments/{row['id']}").text
    questions = re.findall(r'data-question-id="(pcl5_q\d+)"', html)
    assert questions == [f"pcl5_q{i}" for i in range(1, 21)]
    values = re.findall(r'(?:class="col-answer"|data-col="value")>(\d)<', html)
    assert [int(v) for v in values] == json.loads(row["answers"])
    assert f">{row['score_total']}<" in html and row["severity"] in html


def test_schedule_week_for_one_provider_matches_the_database(
    portal: tuple[SandboxHandle, httpx.Client]
) -> None:
    sandbox, client = portal
    today = date.fromisoformat(sandbox.scalar("SELECT value FROM meta WHERE key='today'"))
    monday = today - timedelta(days=today.weekday())
    week = (f"{monday}T00:00:00Z", f"{monday + timedelta(days=7)}T00:00:00Z")
    # the seeded schedule moves with the date: take the provider busiest this week (any
    # one provider may have no appointment in a given week)
    provider = sandbox.scalar(
        "SELECT provider_id FROM appointments WHERE start_time >= ? AND start_time < ? "
        "GROUP BY provider_id ORDER BY count(*) DESC, provider_id LIMIT 1", *week)
    html = client.get("/schedule", params={"view": "week", "date": today.isoformat(),
                                           "provider": provider}).text
    marker = "appt-row" if sandbox.config.ui_version == "2025.4" else 'data-testid="calendar-event"'
    expected = [r["id"] for r in sandbox.query(
        "SELECT a.id FROM appointments a JOIN providers pv ON pv.id = a.provider_id "
        "WHERE a.provider_id = ? AND a.start_time >= ? AND a.start_time < ? "
        "ORDER BY a.start_time, pv.last_name, a.id", provider, *week)]
    assert expected
    assert _data_ids(html, marker) == expected


def test_export_packet_holds_every_note_and_plan_version(
    portal: tuple[SandboxHandle, httpx.Client]
) -> None:
    sandbox, client = portal
    enc = sandbox.query(
        "SELECT e.id, e.patient_id FROM encounters e WHERE (SELECT count(*) FROM progress_notes "
        "n WHERE n.encounter_id = e.id) > 1 LIMIT 1")[0]
    response = client.get(f"/encounters/{enc['id']}/export")
    assert response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    manifest = json.loads(archive.read("manifest.json"))
    notes = sandbox.query("SELECT version, body, signed FROM progress_notes "
                          "WHERE encounter_id = ? ORDER BY version", enc["id"])
    plans = sandbox.query("SELECT id, version FROM treatment_plans WHERE patient_id = ?",
                          enc["patient_id"])
    note_files = [f for f in manifest["files"] if f["kind"] == "progress_note"]
    assert [(f["version"], f["signed"]) for f in note_files] == [
        (n["version"], bool(n["signed"])) for n in notes]
    for note, entry in zip(notes, note_files, strict=True):
        assert note["body"] in archive.read(entry["name"]).decode()
    assert len([f for f in manifest["files"] if f["kind"] == "treatment_plan"]) == len(plans)


def test_encounter_and_assessment_pages_link_the_appointment_they_belong_to(
    portal: tuple[SandboxHandle, httpx.Client]
) -> None:
    # the appointment page links to its encounter; the way back must exist too, on the
    # screen and in the auditor's export packet
    sandbox, client = portal
    enc = sandbox.query("SELECT id, appointment_id FROM encounters ORDER BY id LIMIT 1")[0]
    html = client.get(f"/encounters/{enc['id']}").text
    assert re.findall(r'data-appointment-id="([^"]*)"', html) == [enc["appointment_id"]]
    assert f'href="/appointments/{enc["appointment_id"]}"' in html
    packet = zipfile.ZipFile(io.BytesIO(client.get(f"/encounters/{enc['id']}/export").content))
    assert json.loads(packet.read("manifest.json"))["appointmentId"] == enc["appointment_id"]

    result = sandbox.query("SELECT id, appointment_id FROM assessment_results "
                           "WHERE appointment_id IS NOT NULL ORDER BY id LIMIT 1")[0]
    html = client.get(f"/assessments/{result['id']}").text
    assert re.findall(r'data-appointment-id="([^"]*)"', html) == [result["appointment_id"]]
    assert f'href="/appointments/{result["appointment_id"]}"' in html


def test_chart_insurance_tab_shows_the_policies(
    portal: tuple[SandboxHandle, httpx.Client]
) -> None:
    sandbox, client = portal
    patient = sandbox.scalar(
        "SELECT patient_id FROM insurance_policies GROUP BY patient_id HAVING count(*) = 2 "
        "LIMIT 1")
    html = client.get(f"/patients/{patient}", params={"tab": "insurance"}).text
    policies = sandbox.query("SELECT id, member_id FROM insurance_policies WHERE patient_id = ? "
                             "ORDER BY rank", patient)
    marker = "policy-row" if sandbox.config.ui_version == "2025.4" else "coverage-card"
    assert _data_ids(html, marker) == [p["id"] for p in policies]
    assert all(p["member_id"] in html for p in policies)


def test_unknown_ids_answer_404(portal: tuple[SandboxHandle, httpx.Client]) -> None:
    _, client = portal
    for path in ("/patients/pt_000000", "/appointments/apt_000000", "/claims/clm_000000",
                 "/remittances/rmt_000000/835", "/assessments/asr_000000"):
        assert client.get(path).status_code == 404, path


def test_patient_typeahead_finds_by_mrn(portal: tuple[SandboxHandle, httpx.Client]) -> None:
    sandbox, client = portal
    items = client.get("/api/v2/patients/lookup", params={"q": "MRN-10020"}).json()["items"]
    assert [i["patientId"] for i in items] == [
        sandbox.scalar("SELECT id FROM patients WHERE mrn='MRN-10020'")]


@pytest.mark.parametrize("path", ["/patients", "/claims", "/assessments", "/encounters"])
@pytest.mark.parametrize(("page", "reason"), [
    ("abc", "page must be a whole number"), ("0", "page must be at least 1"),
])
def test_a_bad_page_number_answers_the_portals_400_page(
    portal: tuple[SandboxHandle, httpx.Client], path: str, page: str, reason: str
) -> None:
    """A hand-edited pager link gets the portal's own error page, naming the parameter:
    never FastAPI's JSON, and never a silent first page that would hide a paging bug."""
    _, client = portal
    response = client.get(path, params={"page": page})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert reason in response.text
    assert '"detail"' not in response.text
