"""Values people typed reach the entities as typed: one-name patients entered with a
placeholder first name, and multi-line front-desk notes (read as the pages show them)."""

from __future__ import annotations

from typing import Any

import pytest

from portwright_valant.adapter import ValantAdapter

NORMALIZE = ValantAdapter.normalizers

CHART = {"patient_id": "pt_1", "mrn": "MRN-10001", "dob": "1980-01-02", "sex": "Female",
         "status": "Active", "portal_status": "Not Invited"}


@pytest.mark.parametrize(("first", "last"), [("-", "Teller"), ("N/A", "Null"),
                                             ("None", "Cher"), ("—", "Madonna")])
def test_a_one_name_patient_keeps_the_first_name_the_front_desk_typed(
        first: str, last: str) -> None:
    for raw in (CHART | {"first_name": first, "last_name": last},
                CHART | {"firstName": first, "lastName": last}):
        patient = NORMALIZE["Patient"](raw)
        assert (patient.first_name, patient.last_name) == (first, last)


APPOINTMENT: dict[str, Any] = {
    "appointment_id": "apt_1", "patient_id": "pt_1", "provider_id": "prv_1",
    "location_id": "loc_1", "appointment_type": "Follow-up", "service_codes": "90834",
    "diagnosis_codes": "F41.1", "start_time": "2029-03-10T23:30:00Z",
    "end_time": "2029-03-11T00:15:00Z", "place_of_service": "11", "reminders": "None",
    "status": "scheduled", "created_at": "2029-01-01T00:00:00Z"}


@pytest.mark.parametrize(("shown", "kept"), [
    ("Front desk:\n\t- bring ID & <card>\n\n\t- ask for  王芳", None),
    ("  Line one\r\nLine two  \n", "Line one\nLine two"),
    ("Bring forms", None),
    ("N/A", None),
])
def test_front_desk_notes_keep_their_lines_and_indents(shown: str, kept: str | None) -> None:
    appointment = NORMALIZE["Appointment"](APPOINTMENT | {"notes": shown})
    assert appointment.notes == (kept or shown)


@pytest.mark.parametrize("shown", ["", "  \n\t ", None])
def test_an_empty_front_desk_note_is_none(shown: str | None) -> None:
    assert NORMALIZE["Appointment"](APPOINTMENT | {"notes": shown}).notes is None
