"""Patients: the reference shape round-trips; coverage and enrollment rules hold."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from portwright.entities import Patient, validate
from portwright.exceptions import EntityValidationError


def _full_width(text: str) -> str:
    """``text`` with its ASCII digits in full-width form (an IME, a copy from a PDF)."""
    return text.translate({ord("0") + d: 0xFF10 + d for d in range(10)})


def test_reference_patient_round_trips(patient_json: dict[str, Any]) -> None:
    patient = validate(Patient, patient_json)
    emitted = patient.to_json_dict()
    expected = copy.deepcopy(patient_json)
    expected["contact"]["phone"] = "+12065550192"  # normalized to E.164
    # Extensions appear with their defaults; every reference field keeps name and value.
    for key, value in expected.items():
        if isinstance(value, dict):
            for inner, inner_value in value.items():
                assert emitted[key][inner] == inner_value, f"{key}.{inner}"
        elif key == "insurance":
            for field, field_value in value[0].items():
                assert emitted["insurance"][0][field] == field_value, field
        else:
            assert emitted[key] == value, key
    assert validate(Patient, emitted) == patient  # what we emit, we accept


def test_snake_case_input_is_accepted_too(patient_json: dict[str, Any]) -> None:
    patient = validate(Patient, patient_json)
    again = Patient.model_validate(patient.model_dump())
    assert again == patient


def test_unknown_fields_are_refused(patient_json: dict[str, Any]) -> None:
    patient_json["ssn"] = "000-00-0000"
    with pytest.raises(EntityValidationError) as caught:
        validate(Patient, patient_json)
    assert [p.field for p in caught.value.problems] == ["ssn"]
    assert "000-00-0000" not in str(caught.value)


def test_dob_in_the_future_is_refused(patient_json: dict[str, Any]) -> None:
    patient_json["dob"] = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()
    with pytest.raises(EntityValidationError) as caught:
        validate(Patient, patient_json)
    assert caught.value.problems[0].field == "dob"


def test_coverage_ending_before_it_starts_is_refused(patient_json: dict[str, Any]) -> None:
    patient_json["insurance"][0]["effectiveEnd"] = "2024-12-31"
    with pytest.raises(EntityValidationError) as caught:
        validate(Patient, patient_json)
    assert [str(p) for p in caught.value.problems] == [
        "insurance[0].effectiveEnd: coverage ends before it starts"
    ]


def test_successive_primary_policies_are_fine_but_overlapping_ones_are_not(
    patient_json: dict[str, Any],
) -> None:
    old = {"type": "primary", "payerId": "payer_aetna", "memberId": "A1",
           "effectiveStart": "2023-01-01", "effectiveEnd": "2024-12-31"}
    patient_json["insurance"].append(old)
    assert len(validate(Patient, patient_json).insurance) == 2
    old["effectiveEnd"] = "2025-01-01"  # one shared day with the current policy
    with pytest.raises(EntityValidationError) as caught:
        validate(Patient, patient_json)
    assert caught.value.problems[0].field == "insurance[1].type"


def test_secondary_coverage_may_overlap_primary(patient_json: dict[str, Any]) -> None:
    patient_json["insurance"].append({"type": "secondary", "payerId": "payer_x",
                                      "memberId": "X9", "effectiveStart": "2025-06-01"})
    assert [p.type for p in validate(Patient, patient_json).insurance] == [
        "primary", "secondary"
    ]


def test_us_address_rules(patient_json: dict[str, Any]) -> None:
    patient_json["address"]["region"] = "wa"
    patient_json["address"]["postalCode"] = "98101-1234"
    address = validate(Patient, patient_json).address
    assert address is not None
    assert (address.region, address.postal_code, address.country) == ("WA", "98101-1234", "US")
    patient_json["address"]["postalCode"] = "9810"
    with pytest.raises(EntityValidationError) as caught:
        validate(Patient, patient_json)
    assert caught.value.problems[0].field == "address.postalCode"


def test_nine_bare_zip_digits_are_stored_as_zip_plus_4(patient_json: dict[str, Any]) -> None:
    # The Address docstring and docs/entities.md promise a 9-digit ZIP (ZIP+4); the 837P
    # N403 carries it without the hyphen. One address, one spelling.
    patient_json["address"]["postalCode"] = "981011234"
    address = validate(Patient, patient_json).address
    assert address is not None and address.postal_code == "98101-1234"
    assert validate(Patient, patient_json).to_json_dict()["address"]["postalCode"] == \
        "98101-1234"


@pytest.mark.parametrize("postal", ["9810112345", "98101123", "98101 1234",
                                    _full_width("98101"), "98101-" + _full_width("1234")])
def test_other_zip_shapes_and_non_ascii_digits_are_refused(
    patient_json: dict[str, Any], postal: str
) -> None:
    patient_json["address"]["postalCode"] = postal
    with pytest.raises(EntityValidationError) as caught:
        validate(Patient, patient_json)
    assert caught.value.problems[0].field == "address.postalCode"


def test_foreign_addresses_are_not_held_to_us_rules(patient_json: dict[str, Any]) -> None:
    patient_json["address"] = {"line1": "10 Downing St", "city": "London",
                               "region": "Greater London", "postalCode": "SW1A 2AA",
                               "country": "gb"}
    address = validate(Patient, patient_json).address
    assert address is not None and address.country == "GB"


def test_portal_enrollment(patient_json: dict[str, Any]) -> None:
    del patient_json["portalEnrollment"]
    assert validate(Patient, patient_json).portal_enrollment.status == "not_invited"
    patient_json["portalEnrollment"] = {"status": "not_invited",
                                        "invitedOn": "2026-01-10T18:12:05Z"}
    with pytest.raises(EntityValidationError) as caught:
        validate(Patient, patient_json)
    assert caught.value.problems[0].field == "portalEnrollment.invitedOn"


def test_enumerations_list_the_allowed_values(patient_json: dict[str, Any]) -> None:
    patient_json["sex"] = "F"
    patient_json["status"] = "archived"
    with pytest.raises(EntityValidationError) as caught:
        validate(Patient, patient_json)
    messages = {p.field: p.message for p in caught.value.problems}
    assert "'female'" in messages["sex"]
    assert "'discharged'" in messages["status"]
