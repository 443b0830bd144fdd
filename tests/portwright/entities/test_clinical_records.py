"""Encounters, versioned notes, diagnoses, treatment plans, documents and tasks."""

from __future__ import annotations

from typing import Any

import pytest

from portwright.entities import (
    AssessmentResult,
    CareGoal,
    ClinicalNote,
    Diagnosis,
    Document,
    Encounter,
    Task,
    TreatmentPlan,
    validate,
)
from portwright.exceptions import EntityValidationError


def _version(number: int, *, signed: bool = False) -> dict[str, Any]:
    version: dict[str, Any] = {"version": number, "body": f"text v{number}",
                               "createdAt": f"2026-01-2{number}T10:00:00Z", "signed": signed}
    if signed:
        version |= {"signedAt": f"2026-01-2{number}T11:00:00Z", "signedBy": "prv_41cf92"}
    return version


def _note(*versions: dict[str, Any]) -> dict[str, Any]:
    latest = versions[-1]
    return {"noteId": "note_1", "encounterId": "enc_1", "versions": list(versions),
            "signed": latest["signed"], "signedAt": latest.get("signedAt"),
            "signedBy": latest.get("signedBy")}


def test_a_note_keeps_every_version_and_its_signature() -> None:
    note = validate(ClinicalNote, _note(_version(1, signed=True), _version(2, signed=True)))
    assert [v.body for v in note.versions] == ["text v1", "text v2"]
    assert note.current.version == 2 and note.signed


def test_an_amended_unsigned_version_makes_the_note_unsigned() -> None:
    note = validate(ClinicalNote, _note(_version(1, signed=True), _version(2)))
    assert note.versions[0].signed and not note.signed


def test_note_versions_are_numbered_in_order() -> None:
    with pytest.raises(EntityValidationError) as caught:
        validate(ClinicalNote, _note(_version(1), _version(3)))
    assert caught.value.problems[0].field == "versions[1].version"


def test_note_signature_must_match_latest_version() -> None:
    data = _note(_version(1, signed=True), _version(2))
    data["signed"] = True
    with pytest.raises(EntityValidationError) as caught:
        validate(ClinicalNote, data)
    assert caught.value.problems[0].field == "signed"


def test_a_signed_version_names_who_and_when() -> None:
    version = _version(1, signed=True)
    del version["signedBy"]
    with pytest.raises(EntityValidationError) as caught:
        validate(ClinicalNote, _note(version))
    assert caught.value.problems[0].field == "versions[0].signedBy"


def test_a_note_has_at_least_one_version() -> None:
    with pytest.raises(EntityValidationError):
        validate(ClinicalNote, {"noteId": "n", "encounterId": "e", "versions": [],
                                "signed": False})


def test_encounter_date_is_a_date() -> None:
    data = {"encounterId": "enc_1", "appointmentId": "apt_1", "patientId": "pt_1",
            "providerId": "prv_1", "encounterDate": "2026-01-25", "encounterType": "therapy"}
    assert validate(Encounter, data).to_json_dict()["encounterDate"] == "2026-01-25"
    data["encounterDate"] = "2026-01-25T15:00:00Z"
    with pytest.raises(EntityValidationError):
        validate(Encounter, data)


def test_diagnosis_resolution_rules() -> None:
    with pytest.raises(EntityValidationError) as caught:
        validate(Diagnosis, {"patientId": "pt_1", "code": "F41.1", "onsetDate": "2025-05-01",
                             "resolvedDate": "2025-04-01", "status": "resolved"})
    assert caught.value.problems[0].field == "resolvedDate"
    with pytest.raises(EntityValidationError) as caught:
        validate(Diagnosis, {"patientId": "pt_1", "code": "F41.1",
                             "resolvedDate": "2025-04-01"})
    assert caught.value.problems[0].field == "status"


def test_treatment_plan_with_a_measurable_goal() -> None:
    plan = validate(TreatmentPlan, {
        "treatmentPlanId": "tp_1", "patientId": "pt_1", "providerId": "prv_1", "version": 2,
        "problem": "Generalized anxiety", "diagnosisCodes": ["f411"],
        "goals": [{"description": "Reduce anxiety", "instrument": "GAD-7", "targetScore": 9,
                   "targetDate": "2026-04-01"}],
        "interventions": ["CBT weekly"], "signed": True, "signedAt": "2026-01-25T16:00:00Z",
    })
    assert plan.diagnosis_codes == ["F41.1"]
    assert plan.goals[0].target_score == 9
    with pytest.raises(EntityValidationError) as caught:
        validate(CareGoal, {"description": "Fewer symptoms", "instrument": "PHQ-9"})
    assert caught.value.problems[0].field == "targetScore"
    with pytest.raises(EntityValidationError) as caught:
        validate(TreatmentPlan, {"treatmentPlanId": "tp_1", "patientId": "pt_1",
                                 "providerId": "prv_1", "problem": "x", "signed": True})
    assert caught.value.problems[0].field == "signedAt"


def test_document_metadata() -> None:
    data = {"documentId": "doc_1", "patientId": "pt_1", "documentType": "intake",
            "title": "Intake form", "fileName": "intake.pdf", "contentType": "Application/PDF",
            "sizeBytes": 48213, "sha256": "A" * 64, "uploadedAt": "2026-01-20T10:00:00Z"}
    document = validate(Document, data)
    assert (document.content_type, document.sha256) == ("application/pdf", "a" * 64)
    for field, bad in (("fileName", "../etc/passwd"), ("contentType", "pdf"),
                       ("sizeBytes", -1), ("sha256", "abc"), ("documentType", "invoice")):
        with pytest.raises(EntityValidationError) as caught:
            validate(Document, {**data, field: bad})
        assert caught.value.problems[0].field == field


def test_task_completion_rules() -> None:
    data = {"taskId": "t_1", "title": "Call back", "dueDate": "2026-02-01",
            "createdAt": "2026-01-20T10:00:00Z"}
    task = validate(Task, data)
    assert (task.status, task.priority) == ("open", "normal")
    with pytest.raises(EntityValidationError) as caught:
        validate(Task, {**data, "completedAt": "2026-01-21T10:00:00Z"})
    assert caught.value.problems[0].field == "completedAt"
    done = validate(Task, {**data, "status": "done", "completedAt": "2026-01-21T10:00:00Z"})
    assert done.completed_at is not None


def test_reference_assessment_result(assessment_json: dict[str, Any]) -> None:
    result = validate(AssessmentResult, assessment_json)
    emitted = result.to_json_dict()
    for key, value in assessment_json.items():
        assert emitted[key] == value, key
    assert emitted["flags"] == []


def test_assessment_delta_must_add_up(assessment_json: dict[str, Any]) -> None:
    assessment_json["deltaFromBaseline"] = 4  # 12 - 16 is -4
    with pytest.raises(EntityValidationError) as caught:
        validate(AssessmentResult, assessment_json)
    assert caught.value.problems[0].field == "deltaFromBaseline"


def test_assessment_answers_are_unique_and_typed(assessment_json: dict[str, Any]) -> None:
    assessment_json["answers"].append({"questionId": "phq9_q1", "value": 0})
    with pytest.raises(EntityValidationError) as caught:
        validate(AssessmentResult, assessment_json)
    assert caught.value.problems[0].field == "answers[2].questionId"
    assessment_json["answers"] = [{"questionId": "cssrs_q1", "value": True},
                                  {"questionId": "phq9_q3", "value": None}]
    values = [a.value for a in validate(AssessmentResult, assessment_json).answers]
    assert values == [True, None] and isinstance(values[0], bool)


def test_answer_values_keep_their_kind(assessment_json: dict[str, Any]) -> None:
    assessment_json["answers"] = [{"questionId": "phq9_q1", "value": 2.0},
                                  {"questionId": "phq9_q2", "value": "often"}]
    with pytest.raises(EntityValidationError) as caught:
        validate(AssessmentResult, assessment_json)
    assert [p.field for p in caught.value.problems] == ["answers[1].value"]
    assessment_json["answers"].pop()
    (answer,) = validate(AssessmentResult, assessment_json).answers
    assert answer.value == 2 and type(answer.value) is int
