"""validate(): one FieldProblem per field, camelCase paths, no patient data in messages."""

from __future__ import annotations

from typing import Any

import pytest

from portwright.entities import Patient, validate
from portwright.exceptions import EntityValidationError, FieldProblem, PortwrightError


def test_every_problem_is_reported_at_once_with_its_path(patient_json: dict[str, Any]) -> None:
    patient_json["dob"] = "04/17/1992"
    patient_json["contact"]["phone"] = "555-0192"
    patient_json["insurance"][0]["effectiveStart"] = "2025-13-01"
    del patient_json["mrn"]
    with pytest.raises(EntityValidationError) as caught:
        validate(Patient, patient_json)
    error = caught.value
    assert isinstance(error, PortwrightError)
    assert {p.field for p in error.problems} == {
        "dob", "contact.phone", "insurance[0].effectiveStart", "mrn"
    }
    assert all(isinstance(p, FieldProblem) and p.message for p in error.problems)
    assert str(error).startswith("Patient is not valid: 4 problems")
    assert FieldProblem("mrn", "required") in error.problems


def test_messages_never_repeat_personal_values(patient_json: dict[str, Any]) -> None:
    patient_json["dob"] = "17/04/1992"
    patient_json["contact"] = {"email": "avery(at)example.com", "phone": "206-555-019"}
    patient_json["updatedAt"] = "2026-01-20T11:02:43"
    with pytest.raises(EntityValidationError) as caught:
        validate(Patient, patient_json)
    text = str(caught.value) + repr(caught.value.problems)
    for secret in ("17/04/1992", "avery(at)example.com", "206-555-019", "2026-01-20T11:02:43"):
        assert secret not in text
    # Nor is the original pydantic error (which holds the input) chained on.
    assert caught.value.__cause__ is None


def test_a_valid_instance_passes_through(patient_json: dict[str, Any]) -> None:
    patient = validate(Patient, patient_json)
    assert validate(Patient, patient) is patient


def test_wrong_type_at_the_top(patient_json: dict[str, Any]) -> None:
    with pytest.raises(EntityValidationError) as caught:
        validate(Patient, ["not", "an", "object"])  # type: ignore[arg-type]
    assert caught.value.problems[0].field == "(entity)"
