"""A booking hit by an injected server error either did not happen or happened completely,
and the database says which (the response's ``X-Sandbox-Fault: before|after``)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing

from portwright_valant.testing import SandboxHandle, csrf_of, http_session


def test_failed_bookings_are_all_or_nothing(make_sandbox: Callable[..., SandboxHandle]) -> None:
    portal = make_sandbox(patients=20)
    patient = portal.scalar("SELECT id FROM patients LIMIT 1")
    provider = portal.query("SELECT id, location_id FROM providers LIMIT 1")[0]
    seen: dict[str, int] = {}
    with closing(http_session(portal)) as client:
        for attempt in range(28):
            token = csrf_of(client.get("/appointments/new").text)
            portal.app.state.faults.set("error_rate=1")
            reference = f"faulty-{attempt}"
            response = client.post("/appointments", data={
                "csrf_token": token, "patient_id": patient, "provider_id": provider["id"],
                "location_id": provider["location_id"], "appointment_type": "Follow-up",
                "service_codes": "90834", "diagnosis_codes": "F41.1",
                "date": f"2030-01-{attempt + 1:02d}", "start_time": "09:00",
                "end_time": "09:45", "place_of_service": "11",
                "reference_id": reference,
            })
            portal.app.state.faults.set("")
            assert response.status_code in (500, 502, 503)
            when = response.headers["X-Sandbox-Fault"]
            rows = portal.query("SELECT * FROM appointments WHERE reference_id = ?", reference)
            if when == "before":
                assert rows == []
            else:
                assert when == "after" and len(rows) == 1
                assert rows[0]["status"] == "scheduled" and rows[0]["service_codes"] == "90834"
            seen[when] = seen.get(when, 0) + 1
            if len(seen) == 2:
                break
    assert set(seen) == {"before", "after"}
