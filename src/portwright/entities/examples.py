"""One valid example of every entity, as integrators write it (camelCase JSON).

Where the reference API examples show an entity, the example is that one, verbatim
(only the placeholder host ``<portal>`` is made a real-looking URL). The others are
invented but realistic (valid NPI, billable ICD-10-CM, assigned POS). They serve the
docs, the standard entity tests (every registered entity must have one, it must
validate, and its emitted JSON must satisfy the exported schema), and anyone who needs a
starting point. All people and numbers are fictitious.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

__all__ = ["ENTITY_EXAMPLES", "example"]

_ADDRESS = {"line1": "200 Wellness Ave", "city": "Seattle", "region": "WA",
            "postalCode": "98109"}

_EXAMPLES: dict[str, dict[str, Any]] = {
    "Patient": {
        "patientId": "pt_92c10f", "mrn": "MRN-10027",
        "firstName": "Avery", "lastName": "Nguyen", "dob": "1992-04-17", "sex": "female",
        "contact": {"email": "avery@example.com", "phone": "+1-206-555-0192"},
        "address": {"line1": "422 Pine St", "city": "Seattle", "region": "WA",
                    "postalCode": "98101"},
        "insurance": [{"type": "primary", "payerId": "payer_regence",
                       "memberId": "RGN1234567", "groupNumber": "GRP-78291",
                       "effectiveStart": "2025-01-01", "effectiveEnd": None}],
        "primaryProviderId": "prv_41cf92",
        "portalEnrollment": {"status": "invited", "invitedOn": "2026-01-10T18:12:05Z"},
        "status": "active", "updatedAt": "2026-01-20T11:02:43Z",
    },
    "InsurancePolicy": {
        "type": "primary", "payerId": "payer_regence", "memberId": "RGN1234567",
        "groupNumber": "GRP-78291", "effectiveStart": "2025-01-01", "effectiveEnd": None,
    },
    "Payer": {
        "payerId": "payer_regence", "name": "Regence BlueShield", "payerCode": "93221",
        "address": {"line1": "1800 Ninth Ave", "city": "Seattle", "region": "WA",
                    "postalCode": "98101"},
        "phone": "(206) 555-0100",
    },
    "Provider": {
        "providerId": "prv_41cf92", "firstName": "Jordan", "lastName": "Reyes",
        "credential": "LICSW", "npi": "1234567893", "taxonomyCode": "1041C0700X",
        "specialty": "Clinical Social Worker", "email": "jreyes@clinic.example",
        "locationId": "loc_5a119b", "status": "active",
    },
    "Location": {
        "locationId": "loc_5a119b", "name": "Cascadia Behavioral Health - Seattle",
        "address": _ADDRESS, "phone": "+1-206-555-0111", "defaultPlaceOfService": "11",
    },
    "Appointment": {
        "appointmentId": "apt_7c2e51", "status": "scheduled",
        "patientId": "pt_92c10f", "providerId": "prv_41cf92", "locationId": "loc_5a119b",
        "appointmentType": "Follow-up", "serviceCode": "90834", "diagnosisCodes": ["F41.1"],
        "startTime": "2026-01-25T15:00:00Z", "endTime": "2026-01-25T15:50:00Z",
        "placeOfService": "11",
        "telehealth": {"enabled": True, "link": "https://portal.example/tele/apt_7c2e51"},
        "reminders": {"email": True, "sms": True},
        "notes": "Telehealth follow-up for anxiety management.",
        "referenceId": "ehr-schedule-58320", "createdAt": "2026-01-20T12:14:19Z",
    },
    "Encounter": {
        "encounterId": "enc_3b81d0", "appointmentId": "apt_7c2e51", "patientId": "pt_92c10f",
        "providerId": "prv_41cf92", "locationId": "loc_5a119b",
        "encounterDate": "2026-01-25", "encounterType": "Psychotherapy", "status": "completed",
    },
    "ClinicalNote": {
        "noteId": "note_55e0a2", "encounterId": "enc_3b81d0", "patientId": "pt_92c10f",
        "noteType": "progress",
        "versions": [
            {"version": 1, "body": "Session focused on worry exposure.",
             "createdAt": "2026-01-25T16:00:00Z", "signed": True,
             "signedAt": "2026-01-25T16:30:00Z", "signedBy": "prv_41cf92"},
            {"version": 2, "body": "Session focused on worry exposure. Addendum: homework.",
             "createdAt": "2026-01-26T09:00:00Z", "signed": True,
             "signedAt": "2026-01-26T09:05:00Z", "signedBy": "prv_41cf92"},
        ],
        "signed": True, "signedAt": "2026-01-26T09:05:00Z", "signedBy": "prv_41cf92",
    },
    "Diagnosis": {
        "diagnosisId": "dx_1", "patientId": "pt_92c10f", "code": "F41.1",
        "description": "Generalized anxiety disorder", "primary": True, "status": "active",
        "onsetDate": "2025-11-01", "providerId": "prv_41cf92",
    },
    "CareGoal": {
        "goalId": "goal_1", "description": "Reduce anxiety symptoms",
        "objectives": ["Practice diaphragmatic breathing daily"],
        "status": "in_progress", "targetDate": "2026-04-01",
        "instrument": "GAD-7", "targetScore": 9,
    },
    "TreatmentPlan": {
        "treatmentPlanId": "tp_0a71c4", "patientId": "pt_92c10f", "providerId": "prv_41cf92",
        "version": 1, "status": "active", "problem": "Generalized anxiety",
        "diagnosisCodes": ["F41.1"],
        "goals": [{"description": "Reduce anxiety symptoms", "instrument": "GAD-7",
                   "targetScore": 9, "targetDate": "2026-04-01"}],
        "interventions": ["CBT, weekly 45 minutes"], "startDate": "2026-01-10",
        "reviewDate": "2026-04-10", "signed": True, "signedAt": "2026-01-10T19:00:00Z",
        "createdAt": "2026-01-10T18:40:00Z",
    },
    "AssessmentResult": {
        "assessmentResultId": "asr_21aa90", "patientId": "pt_92c10f",
        "instrument": "PHQ-9", "version": "1.0", "scoreTotal": 12, "severity": "moderate",
        "answers": [{"questionId": "phq9_q1", "value": 2},
                    {"questionId": "phq9_q2", "value": 1}],
        "baselineScore": 16, "deltaFromBaseline": -4,
        "completedOn": "2026-01-18T16:31:22Z", "collectedVia": "patient_portal",
        "providerId": "prv_41cf92",
    },
    "Document": {
        "documentId": "doc_9f01", "patientId": "pt_92c10f", "documentType": "intake",
        "title": "Adult intake form", "fileName": "intake-2026-01-10.pdf",
        "contentType": "application/pdf", "sizeBytes": 48213,
        "uploadedBy": "prv_41cf92", "uploadedAt": "2026-01-10T18:20:00Z",
    },
    "Task": {
        "taskId": "task_77", "title": "Call patient about PHQ-9 item 9",
        "patientId": "pt_92c10f", "assigneeId": "prv_41cf92", "dueDate": "2026-01-18",
        "priority": "high", "status": "open", "createdAt": "2026-01-18T16:32:00Z",
    },
    "Claim": {
        "claimType": "837P", "payerId": "payer_regence",
        "billingProvider": {"npi": "1234567893", "taxonomy": "Behavioral Health",
                            "name": "Cascadia Behavioral Health",
                            "billingAddress": _ADDRESS},
        "patient": {"patientId": "pt_92c10f", "memberId": "RGN1234567"},
        "serviceLines": [{"appointmentId": "apt_7c2e51", "serviceCode": "90834",
                          "modifiers": ["95"], "diagnosisPointers": ["1"], "units": 1,
                          "placeOfService": "02", "renderingProviderId": "prv_41cf92",
                          "chargeAmount": 120.00}],
        "submissionChannel": "clearinghouse", "referenceId": "billing-batch-jan25",
    },
    "ServiceLine": {
        "appointmentId": "apt_7c2e51", "serviceCode": "90834", "modifiers": ["95"],
        "diagnosisPointers": ["1"], "units": 1, "placeOfService": "02",
        "renderingProviderId": "prv_41cf92", "chargeAmount": 120.00,
    },
    "Adjustment": {"groupCode": "CO", "reasonCode": "45", "amount": "30.00"},
    "Payment": {
        "patientControlNumber": "apt_7c2e51", "statusCode": "1",
        "status": "processed as primary", "chargeAmount": "120.00", "paidAmount": "72.00",
        "patientResponsibility": "18.00",
        "adjustments": [{"groupCode": "CO", "reasonCode": "45", "amount": "30.00"},
                        {"groupCode": "PR", "reasonCode": "2", "amount": "18.00"}],
    },
    "Remittance": {
        "traceNumber": "EFT-000123", "handlingCode": "I", "paymentAmount": "72.00",
        "paymentDate": "2026-02-10",
        "payer": {"name": "Regence BlueShield"},
        "payee": {"name": "Cascadia Behavioral Health", "idQualifier": "XX",
                  "identifier": "1234567893"},
        "payments": [{
            "patientControlNumber": "apt_7c2e51", "statusCode": "1",
            "status": "processed as primary", "chargeAmount": "120.00",
            "paidAmount": "72.00", "patientResponsibility": "18.00",
            "adjustments": [{"groupCode": "CO", "reasonCode": "45", "amount": "30.00"},
                            {"groupCode": "PR", "reasonCode": "2", "amount": "18.00"}],
        }],
    },
}

#: Entity name → one valid example (read-only; use :func:`example` for a mutable copy).
ENTITY_EXAMPLES: Mapping[str, Mapping[str, Any]] = MappingProxyType(_EXAMPLES)


def example(name: str) -> dict[str, Any]:
    """A fresh deep copy of the example for entity ``name`` (KeyError if none)."""
    return copy.deepcopy(_EXAMPLES[name])
