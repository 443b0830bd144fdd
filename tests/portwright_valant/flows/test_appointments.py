"""Appointment reads and writes in both UI versions, checked in the sandbox database.

Writes use slots far past the seeded schedule (2027-06), one distinct day per test and UI
version, so tests never collide with seeded visits or with each other.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

import pytest

from portwright.exceptions import FlowInputError, PortalValidationError, StepError

if TYPE_CHECKING:
    from conftest import Portal

pytestmark = pytest.mark.browser


def expected(row: sqlite3.Row) -> dict[str, Any]:
    codes = row["service_codes"].split(",")
    return {
        "appointmentId": row["id"], "patientId": row["patient_id"],
        "providerId": row["provider_id"], "locationId": row["location_id"],
        "appointmentType": row["appointment_type"], "serviceCode": codes[0],
        "addOnCodes": codes[1:], "diagnosisCodes": row["diagnosis_codes"].split(","),
        "startTime": row["start_time"], "endTime": row["end_time"],
        "placeOfService": row["place_of_service"],
        "telehealth": {"enabled": bool(row["telehealth"]), "link": row["telehealth_link"]},
        "reminders": {"email": bool(row["reminder_email"]), "sms": bool(row["reminder_sms"])},
        "notes": row["notes"] or None, "referenceId": row["reference_id"],
        "status": row["status"].replace("-", "_"), "cancelReason": row["cancel_reason"],
        "createdAt": row["created_at"], "updatedAt": None,
    }


def one(portal: Portal, appointment_id: str) -> sqlite3.Row:
    return portal.query("SELECT * FROM appointments WHERE id = ?", appointment_id)[0]


def booking(portal: Portal, day: int, reference: str | None) -> dict[str, Any]:
    """A telehealth follow-up with an add-on code, two diagnoses and both reminders."""
    patient, provider = portal.query(
        "SELECT p.id, p.primary_provider_id FROM patients p WHERE p.status = 'active' "
        "ORDER BY p.id LIMIT 1")[0]
    location = portal.query("SELECT location_id FROM providers WHERE id = ?", provider)[0][0]
    offset = 0 if portal.version == "2025.4" else 15
    inputs = {
        "patient_id": patient, "provider_id": provider, "location_id": location,
        "appointment_type": "Follow-up", "service_codes": ["99214", "90833"],
        "diagnosis_codes": ["F41.1", "F33.1"],
        "start_time": f"2027-06-{day + offset:02d}T15:00:00Z",
        "end_time": f"2027-06-{day + offset:02d}T15:50:00Z",
        "place_of_service": "10", "telehealth": True, "reminder_email": True,
        "reminder_sms": True, "notes": "Telehealth follow-up for anxiety management.",
    }
    if reference is not None:
        inputs["reference_id"] = f"{reference}-{portal.version}"
    return inputs


async def test_list_by_date_range_provider_and_location(portal: Portal) -> None:
    day = portal.query("SELECT substr(start_time, 1, 10) d FROM appointments GROUP BY d "
                       "HAVING count(*) >= 2 ORDER BY count(*), d LIMIT 1")[0][0]
    result = await portal.run("valant.appointments.list", {"start_date": day, "end_date": day})
    rows = portal.query("SELECT * FROM appointments WHERE substr(start_time, 1, 10) = ?", day)
    assert len(rows) >= 2
    assert {a.appointment_id: a.to_json_dict() for a in result.outputs["Appointment"]} == \
        {r["id"]: expected(r) for r in rows}
    first = rows[0]
    narrowed = await portal.run("valant.appointments.list", {
        "start_date": day, "end_date": day, "provider_id": first["provider_id"],
        "location_id": first["location_id"]})
    assert sorted(a.appointment_id for a in narrowed.outputs["Appointment"]) == sorted(
        r["id"] for r in rows
        if (r["provider_id"], r["location_id"]) == (first["provider_id"], first["location_id"]))


async def test_create_with_every_field_then_again_returns_the_same(portal: Portal) -> None:
    inputs = booking(portal, 1, "ehr-schedule-58320")
    first = await portal.run("valant.appointments.create", inputs)
    [created] = first.outputs["Appointment"]
    assert first.outputs["created"] is True
    rows = portal.query("SELECT * FROM appointments WHERE reference_id = ?",
                        inputs["reference_id"])
    assert len(rows) == 1
    assert created.to_json_dict() == expected(rows[0])
    assert rows[0]["service_codes"] == "99214,90833"
    assert rows[0]["telehealth"] == 1 and rows[0]["place_of_service"] == "10"

    again = await portal.run("valant.appointments.create", inputs)
    assert again.outputs["created"] is False
    assert [a.appointment_id for a in again.outputs["Appointment"]] == [created.appointment_id]
    assert len(portal.query("SELECT id FROM appointments WHERE reference_id = ?",
                            inputs["reference_id"])) == 1


async def test_create_survives_a_response_lost_after_the_write(portal: Portal) -> None:
    inputs = booking(portal, 2, "ehr-lost-response")
    result, seen = await portal.run_losing_first_post(
        "valant.appointments.create", inputs, "**/appointments")
    assert seen == ["after"]  # the portal wrote, then the client saw an error
    rows = portal.query("SELECT * FROM appointments WHERE reference_id = ?",
                        inputs["reference_id"])
    assert len(rows) == 1
    assert [a.to_json_dict() for a in result.outputs["Appointment"]] == [expected(rows[0])]
    assert result.outputs["created"] is True   # this call booked it, though it saw an error


async def test_validation_errors_carry_the_portals_messages(portal: Portal) -> None:
    inputs = booking(portal, 3, "ehr-invalid") | {
        "diagnosis_codes": ["F41"], "end_time": "2027-06-18T14:00:00Z",
        "start_time": "2027-06-18T15:00:00Z"}
    before = portal.query("SELECT count(*) FROM appointments")[0][0]
    with pytest.raises(PortalValidationError) as caught:
        await portal.run("valant.appointments.create", inputs)
    messages = caught.value.messages
    assert any(m.startswith("diagnosis_codes:") and "billable" in m for m in messages)
    assert any(m.startswith("end_time:") and "after the start" in m for m in messages)
    assert portal.query("SELECT count(*) FROM appointments")[0][0] == before


async def test_update_reschedule_and_cancel(portal: Portal) -> None:
    created = (await portal.run("valant.appointments.create",
                                booking(portal, 4, "ehr-to-change"))).outputs["Appointment"][0]
    day = created.start_time.strftime("%Y-%m-%d")
    updated = await portal.run("valant.appointments.update", {
        "appointment_id": created.appointment_id, "service_codes": ["90837"],
        "diagnosis_codes": ["F43.10"], "notes": "Changed to a 60-minute session.",
        "reminder_sms": False})
    row = one(portal, created.appointment_id)
    assert (row["service_codes"], row["diagnosis_codes"], row["reminder_sms"]) == \
        ("90837", "F43.10", 0)
    assert updated.outputs["Appointment"][0].to_json_dict() == expected(row)

    moved = await portal.run("valant.appointments.reschedule", {
        "appointment_id": created.appointment_id, "start_time": f"{day}T17:00:00Z",
        "end_time": f"{day}T18:00:00Z"})
    row = one(portal, created.appointment_id)
    assert (row["start_time"], row["end_time"]) == (f"{day}T17:00:00Z", f"{day}T18:00:00Z")
    assert moved.outputs["Appointment"][0].to_json_dict() == expected(row)

    cancelled = await portal.run("valant.appointments.cancel", {
        "appointment_id": created.appointment_id, "reason": "Patient asked to cancel"})
    row = one(portal, created.appointment_id)
    assert (row["status"], row["cancel_reason"]) == ("cancelled", "Patient asked to cancel")
    assert cancelled.outputs["Appointment"][0].to_json_dict() == expected(row)
    again = await portal.run("valant.appointments.cancel", {
        "appointment_id": created.appointment_id, "reason": "Second request"})
    assert again.outputs["Appointment"][0].cancel_reason == "Patient asked to cancel"


@pytest.mark.parametrize(("day", "flow", "extra", "url"), [
    (5, "valant.appointments.update", {"notes": "Never saved."}, "**/appointments/apt_*"),
    (8, "valant.appointments.reschedule", {"start_time": "2027-06-30T08:00:00Z",
                                           "end_time": "2027-06-30T08:45:00Z"},
     "**/appointments/apt_*"),
    (9, "valant.appointments.cancel", {"reason": "Never saved."}, "**/appointments/*/cancel"),
])
async def test_a_change_the_portal_failed_to_save_is_an_error_not_a_success(
        portal: Portal, day: int, flow: str, extra: dict[str, Any], url: str) -> None:
    created = (await portal.run("valant.appointments.create", booking(
        portal, day, f"ehr-unsaved-{flow.rsplit('.', 1)[1]}"))).outputs["Appointment"][0]
    before = dict(one(portal, created.appointment_id))
    with pytest.raises(StepError, match="may or may not have landed") as caught:
        await portal.run_losing_first_post(
            flow, {"appointment_id": created.appointment_id, **extra}, url, when="before")
    assert portal.faults_seen == ["before"]
    assert "neither field messages nor 'appointment.details'" in str(caught.value)
    assert dict(one(portal, created.appointment_id)) == before     # truly not saved


async def test_times_with_an_offset_are_booked_at_their_utc_time(portal: Portal) -> None:
    day = 6 + (0 if portal.version == "2025.4" else 15)
    inputs = booking(portal, 6, "ehr-offset") | {
        "start_time": f"2027-06-{day:02d}T09:00:00-07:00",
        "end_time": f"2027-06-{day:02d}T09:45:00-07:00"}
    [booked] = (await portal.run("valant.appointments.create", inputs)).outputs["Appointment"]
    row = one(portal, booked.appointment_id)
    assert (row["start_time"], row["end_time"]) == (f"2027-06-{day:02d}T16:00:00Z",
                                                    f"2027-06-{day:02d}T16:45:00Z")


async def test_an_end_on_another_day_is_refused_before_anything_is_booked(
        portal: Portal) -> None:
    day = 7 + (0 if portal.version == "2025.4" else 15)
    inputs = booking(portal, 7, "ehr-two-days") | {
        "start_time": f"2027-06-{day:02d}T22:00:00Z",
        "end_time": f"2027-06-{day + 1:02d}T01:00:00Z"}
    count = portal.query("SELECT count(*) FROM appointments")[0][0]
    with pytest.raises(FlowInputError, match="same day"):
        await portal.run("valant.appointments.create", inputs)
    assert portal.query("SELECT count(*) FROM appointments")[0][0] == count


async def test_get_one_appointment(portal: Portal) -> None:
    row = portal.query("SELECT * FROM appointments WHERE telehealth = 1 ORDER BY id LIMIT 1")[0]
    result = await portal.run("valant.appointments.get", {"appointment_id": row["id"]})
    assert [a.to_json_dict() for a in result.outputs["Appointment"]] == [expected(row)]
