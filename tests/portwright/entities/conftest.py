"""The JSON objects of shared/reference/api-examples.md, copied verbatim, as fixtures.

Each fixture returns a fresh deep copy, so a test may mutate it.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

_PATIENT: dict[str, Any] = {
    "patientId": "pt_92c10f", "mrn": "MRN-10027",
    "firstName": "Avery", "lastName": "Nguyen", "dob": "1992-04-17", "sex": "female",
    "contact": {"email": "avery@example.com", "phone": "+1-206-555-0192"},
    "address": {"line1": "422 Pine St", "city": "Seattle", "region": "WA",
                "postalCode": "98101"},
    "insurance": [{"type": "primary", "payerId": "payer_regence", "memberId": "RGN1234567",
                   "groupNumber": "GRP-78291", "effectiveStart": "2025-01-01",
                   "effectiveEnd": None}],
    "primaryProviderId": "prv_41cf92",
    "portalEnrollment": {"status": "invited", "invitedOn": "2026-01-10T18:12:05Z"},
    "status": "active", "updatedAt": "2026-01-20T11:02:43Z",
}

_APPOINTMENT_REQUEST: dict[str, Any] = {
    "patientId": "pt_92c10f", "providerId": "prv_41cf92", "locationId": "loc_5a119b",
    "appointmentType": "Follow-up", "serviceCode": "90834", "diagnosisCodes": ["F41.1"],
    "startTime": "2026-01-25T15:00:00Z", "endTime": "2026-01-25T15:50:00Z",
    "placeOfService": "11", "telehealth": {"enabled": True},
    "reminders": {"email": True, "sms": True},
    "notes": "Telehealth follow-up for anxiety management.",
    "referenceId": "ehr-schedule-58320",
}

_APPOINTMENT_RESPONSE: dict[str, Any] = {
    "appointmentId": "apt_7c2e51", "status": "scheduled",
    "telehealth": {"enabled": True, "link": "https://portal.example/tele/apt_7c2e51"},
    "createdAt": "2026-01-20T12:14:19Z", "referenceId": "ehr-schedule-58320",
}

_ASSESSMENT_RESULT: dict[str, Any] = {
    "assessmentResultId": "asr_21aa90", "patientId": "pt_92c10f",
    "instrument": "PHQ-9", "version": "1.0", "scoreTotal": 12, "severity": "moderate",
    "answers": [{"questionId": "phq9_q1", "value": 2}, {"questionId": "phq9_q2", "value": 1}],
    "baselineScore": 16, "deltaFromBaseline": -4,
    "completedOn": "2026-01-18T16:31:22Z", "collectedVia": "patient_portal",
    "providerId": "prv_41cf92",
}


@pytest.fixture
def patient_json() -> dict[str, Any]:
    return copy.deepcopy(_PATIENT)


@pytest.fixture
def appointment_request_json() -> dict[str, Any]:
    return copy.deepcopy(_APPOINTMENT_REQUEST)


@pytest.fixture
def appointment_json() -> dict[str, Any]:
    """The stored appointment: the request plus what the response adds."""
    merged = copy.deepcopy(_APPOINTMENT_REQUEST)
    merged.update(copy.deepcopy(_APPOINTMENT_RESPONSE))
    return merged


@pytest.fixture
def assessment_json() -> dict[str, Any]:
    return copy.deepcopy(_ASSESSMENT_RESULT)
