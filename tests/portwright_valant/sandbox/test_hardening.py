"""Regressions found by probing the sandbox: no 500 for any malformed parameter, strict
dates on forms, and an injected ``after`` fault only where the handler really wrote."""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Callable
from contextlib import closing

import httpx
import pytest

from portwright_valant.testing import SandboxHandle, csrf_of, http_session


def _force(portal: SandboxHandle, when: str) -> None:
    """Inject an error on the next request, striking ``when`` (before/after the handler)."""
    for seed in range(1000):
        rng = random.Random(seed)
        rng.random()
        if rng.choice(("before", "after")) == when:
            break
    portal.app.state.faults.set("error_rate=1")
    portal.app.state.faults.rng = random.Random(seed)


def test_after_fault_on_uploads_means_filed(
        make_sandbox: Callable[..., SandboxHandle]) -> None:
    portal = make_sandbox(patients=10)
    patient = portal.scalar("SELECT id FROM patients LIMIT 1")
    count = "SELECT count(*) FROM documents WHERE patient_id = ?"
    with closing(http_session(portal)) as client:
        token = csrf_of(client.get(f"/patients/{patient}?tab=documents").text)
        before = portal.scalar(count, patient)
        _force(portal, "after")
        filed = client.post(f"/patients/{patient}/documents",
                            data={"csrf_token": token, "kind": "intake", "title": "Intake"},
                            files={"file": ("intake.pdf", b"%PDF-1.4 intake", "application/pdf")})
        portal.app.state.faults.set("")
        assert filed.headers.get("X-Sandbox-Fault") == "after"
        assert portal.scalar(count, patient) == before + 1
        # a multipart post that lost its file (as a proxy that drops the body would send):
        # the handler refuses it, so an "after" fault would claim a write that never was
        _force(portal, "after")
        refused = client.post(f"/patients/{patient}/documents",
                              data={"csrf_token": token, "kind": "intake", "title": "Intake"},
                              files={"other": ("x.txt", b"", "text/plain")})
        portal.app.state.faults.set("")
        assert refused.headers.get("X-Sandbox-Fault") != "after"
        assert refused.status_code == 422
        assert portal.scalar(count, patient) == before + 1
        # a forged token: 403 stays 403, never "after"
        _force(portal, "after")
        forged = client.post("/tasks", data={"csrf_token": "forged", "title": "t",
                                             "due_date": "2030-01-01", "priority": "low"})
        portal.app.state.faults.set("")
        assert forged.status_code == 403 and "X-Sandbox-Fault" not in forged.headers


def _cursor(offset: object) -> str:
    raw = json.dumps({"o": offset, "f": "||||name|asc"}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize("query", [
    "updatedAfter=0001-01-01T00:00:00%2B05:00",
    "updatedAfter=9999-12-31T23:00:00-05:00",
    f"cursor={_cursor(10**30)}",
    "cursor=" + base64.urlsafe_b64encode(b'{"o": 1e999, "f": "||||name|asc"}').decode(),
    f"cursor={_cursor(5.5)}",
    f"cursor={_cursor('5')}",
])
def test_api_bad_parameters_are_400_not_500(sandbox: SandboxHandle, query: str) -> None:
    with closing(http_session(sandbox)) as client:
        response = client.get(f"/api/v2/patients?{query}", headers={"Connection": "close"})
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == "invalid_parameter"
    assert body["field"] == query.split("=", 1)[0]


def test_lookup_refuses_blank_q(sandbox: SandboxHandle) -> None:
    with closing(http_session(sandbox)) as client:
        response = client.get("/api/v2/patients/lookup?q=%20%20")
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_parameter", "field": "q",
                               "reason": "q must not be empty"}


@pytest.mark.parametrize(("url", "status"), [
    ("/patients?updated_after=0001-01-01T00:00:00%2B05:00", 422),
    ("/patients?page=99999999999999999999", 400),
    ("/claims?page=99999999999999999999999", 400),
    ("/assessments?page=99999999999999999999999", 400),
    ("/encounters?page=99999999999999999999999", 400),
    ("/schedule?date=9999-12-31&view=week", 400),
    ("/schedule?date=9999-12-31", 400),
    ("/schedule?date=0001-01-01&view=week", 400),
])
def test_pages_refuse_out_of_range_parameters(sandbox: SandboxHandle, url: str,
                                              status: int) -> None:
    with closing(http_session(sandbox)) as client:
        try:
            response = client.get(url, headers={"Connection": "close"})
        except httpx.TransportError as exc:  # the server crashed on the request
            pytest.fail(f"{url}: {exc!r}")
    assert response.status_code == status


def test_forms_want_dates_as_yyyy_mm_dd(make_sandbox: Callable[..., SandboxHandle]) -> None:
    portal = make_sandbox(patients=10)
    patient = portal.scalar("SELECT id FROM patients LIMIT 1")
    provider = portal.query("SELECT id, location_id FROM providers LIMIT 1")[0]
    with closing(http_session(portal)) as client:
        token = csrf_of(client.get("/tasks").text)
        for due in ("20301215", "2030-W50-1", "2030-1-5"):
            response = client.post("/tasks", data={"csrf_token": token, "title": f"t {due}",
                                                    "due_date": due, "priority": "low"})
            assert response.status_code == 422, due
            assert f"Due date {due} is not a valid date" in response.text
        assert portal.scalar("SELECT count(*) FROM tasks WHERE title LIKE 't %'") == 0
        token = csrf_of(client.get("/appointments/new").text)
        response = client.post("/appointments", data={
            "csrf_token": token, "patient_id": patient, "provider_id": provider["id"],
            "location_id": provider["location_id"], "appointment_type": "Follow-up",
            "diagnosis_codes": "F41.1", "date": "2030-1-5", "start_time": "09:00",
            "end_time": "09:45", "place_of_service": "11", "reference_id": "short-date"})
        assert response.status_code == 422
        assert "Date must be YYYY-MM-DD" in response.text
        assert portal.query("SELECT id FROM appointments WHERE reference_id = 'short-date'") == []
