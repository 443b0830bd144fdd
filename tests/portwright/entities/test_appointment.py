"""Appointments: the POST /appointments shapes, time order, billing-code pairing."""

from __future__ import annotations

from typing import Any

import pytest

from portwright.entities import Appointment, AppointmentRequest, validate
from portwright.exceptions import EntityValidationError


def test_reference_request_is_a_valid_request(appointment_request_json: dict[str, Any]) -> None:
    request = validate(AppointmentRequest, appointment_request_json)
    emitted = request.to_json_dict()
    for key, value in appointment_request_json.items():
        if key == "telehealth":
            assert emitted[key]["enabled"] is True
        else:
            assert emitted[key] == value, key
    assert request.appointment_id is None  # a create, not an update


def test_stored_appointment_carries_the_response_fields(appointment_json: dict[str, Any]) -> None:
    appointment = validate(Appointment, appointment_json)
    emitted = appointment.to_json_dict()
    assert emitted["appointmentId"] == "apt_7c2e51"
    assert emitted["status"] == "scheduled"
    assert emitted["telehealth"] == {"enabled": True,
                                     "link": "https://portal.example/tele/apt_7c2e51"}
    assert emitted["createdAt"] == "2026-01-20T12:14:19Z"
    assert emitted["referenceId"] == "ehr-schedule-58320"
    assert validate(Appointment, emitted) == appointment


def test_an_appointment_needs_its_id_and_status(appointment_request_json: dict[str, Any]) -> None:
    with pytest.raises(EntityValidationError) as caught:
        validate(Appointment, appointment_request_json)
    assert {p.field for p in caught.value.problems} == {"appointmentId", "status"}
    assert all(p.message == "required" for p in caught.value.problems)


@pytest.mark.parametrize(
    "end", ["2026-01-25T15:00:00Z", "2026-01-25T14:59:00Z", "2026-01-25T07:00:00-08:00"]
)
def test_end_must_follow_start(appointment_request_json: dict[str, Any], end: str) -> None:
    appointment_request_json["endTime"] = end
    with pytest.raises(EntityValidationError) as caught:
        validate(AppointmentRequest, appointment_request_json)
    assert [str(p) for p in caught.value.problems] == ["endTime: must be after startTime"]


def test_local_times_with_offsets_are_stored_in_utc(
    appointment_request_json: dict[str, Any],
) -> None:
    appointment_request_json["startTime"] = "2026-01-25T07:00:00-08:00"
    appointment_request_json["endTime"] = "2026-01-25T07:50:00-08:00"
    emitted = validate(AppointmentRequest, appointment_request_json).to_json_dict()
    assert (emitted["startTime"], emitted["endTime"]) == (
        "2026-01-25T15:00:00Z", "2026-01-25T15:50:00Z"
    )


def test_diagnosis_codes_must_be_billable_and_distinct(
    appointment_request_json: dict[str, Any],
) -> None:
    appointment_request_json["diagnosisCodes"] = ["F41.1", "F32"]
    with pytest.raises(EntityValidationError) as caught:
        validate(AppointmentRequest, appointment_request_json)
    assert caught.value.problems[0].field == "diagnosisCodes[1]"
    appointment_request_json["diagnosisCodes"] = ["F41.1", "f411"]  # same code twice
    with pytest.raises(EntityValidationError) as caught:
        validate(AppointmentRequest, appointment_request_json)
    assert str(caught.value.problems[0]) == "diagnosisCodes[1]: F41.1 is listed twice"


def test_at_most_twelve_diagnosis_codes(appointment_request_json: dict[str, Any]) -> None:
    codes = ["F41.1", "F32.9", "F32.A", "F33.40", "F43.10", "F43.12", "F10.20", "R45.851",
             "F41.0", "F40.10", "F42.2", "F90.0"]
    appointment_request_json["diagnosisCodes"] = codes
    assert len(validate(AppointmentRequest, appointment_request_json).diagnosis_codes) == 12
    appointment_request_json["diagnosisCodes"] = [*codes, "F43.21"]
    with pytest.raises(EntityValidationError) as caught:
        validate(AppointmentRequest, appointment_request_json)
    assert caught.value.problems[0].field == "diagnosisCodes"


def test_psychotherapy_add_on_goes_with_an_em_code(
    appointment_request_json: dict[str, Any],
) -> None:
    appointment_request_json.update(serviceCode="99213", addOnCodes=["90833"])
    request = validate(AppointmentRequest, appointment_request_json)
    assert (request.service_code, request.add_on_codes) == ("99213", ["90833"])


@pytest.mark.parametrize(
    ("service", "add_ons", "field", "words"),
    [
        ("90833", [], "serviceCode", "add-on code"),           # an add-on cannot stand alone
        ("90834", ["90833"], "addOnCodes", "without its primary"),  # codes.md pairing rule
        ("90834", ["90837"], "addOnCodes[0]", "not a behavioral-health add-on"),
        ("90791", ["90840"], "addOnCodes", "90839"),          # 90840 never without 90839
    ],
)
def test_code_pairing_rules(
    appointment_request_json: dict[str, Any],
    service: str, add_ons: list[str], field: str, words: str,
) -> None:
    appointment_request_json.update(serviceCode=service, addOnCodes=add_ons)
    with pytest.raises(EntityValidationError) as caught:
        validate(AppointmentRequest, appointment_request_json)
    (problem,) = caught.value.problems
    assert problem.field == field
    assert words in problem.message


def test_crisis_add_on_with_crisis_code(appointment_request_json: dict[str, Any]) -> None:
    appointment_request_json.update(serviceCode="90839", addOnCodes=["90840"])
    assert validate(AppointmentRequest, appointment_request_json).add_on_codes == ["90840"]


def test_telehealth_link_rules(appointment_json: dict[str, Any]) -> None:
    appointment_json["telehealth"] = {"enabled": False, "link": "https://portal.example/t/1"}
    with pytest.raises(EntityValidationError) as caught:
        validate(Appointment, appointment_json)
    assert caught.value.problems[0].field == "telehealth.link"
    appointment_json["telehealth"] = {"enabled": True, "link": "javascript:alert(1)"}
    with pytest.raises(EntityValidationError):
        validate(Appointment, appointment_json)


def test_status_vocabulary(appointment_json: dict[str, Any]) -> None:
    for status in ("scheduled", "checked_in", "completed", "no_show", "cancelled"):
        appointment_json["status"] = status
        assert validate(Appointment, appointment_json).status == status
    appointment_json["status"] = "checked-in"
    with pytest.raises(EntityValidationError):
        validate(Appointment, appointment_json)
