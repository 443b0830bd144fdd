"""ICD-10-CM, CPT and place-of-service checks as entities apply them (codes.md facts)."""

from __future__ import annotations

from typing import Any

import pytest

from portwright.entities import AppointmentRequest, Diagnosis, Location, validate
from portwright.exceptions import EntityValidationError


def _diagnosis(code: str) -> Diagnosis:
    return validate(Diagnosis, {"patientId": "pt_1", "code": code})


@pytest.mark.parametrize(
    ("code", "stored"),
    [
        ("F41.1", "F41.1"),
        ("F32.9", "F32.9"),
        ("F329", "F32.9"),       # undotted form, as X12 carries it
        ("f32.a", "F32.A"),
        ("F33.40", "F33.40"),
        ("F43.10", "F43.10"),
        ("F43.12", "F43.12"),
        ("F10.20", "F10.20"),
        ("R45.851", "R45.851"),
        ("T14.91XA", "T14.91XA"),
    ],
)
def test_billable_icd10_codes_are_accepted_in_dotted_form(code: str, stored: str) -> None:
    assert _diagnosis(code).code == stored


@pytest.mark.parametrize("code", ["F32", "F43.1", "F41"])
def test_categories_are_not_billable(code: str) -> None:
    with pytest.raises(EntityValidationError) as caught:
        _diagnosis(code)
    (problem,) = caught.value.problems
    assert problem.field == "code"
    assert "not a billable code" in problem.message


@pytest.mark.parametrize("code", ["ZZZ9", "F99.99", "F32.", "", "90834"])
def test_codes_not_in_the_cms_list_are_refused(code: str) -> None:
    with pytest.raises(EntityValidationError):
        _diagnosis(code)


@pytest.mark.parametrize(
    ("code", "ok"),
    [
        ("90834", True), ("99213", True), ("0591T", True), ("1040F", True), ("G0444", True),
        ("9083", False), ("908345", False), ("90834A", False), ("ABCDE", False),
    ],
)
def test_cpt_format(
    appointment_request_json: dict[str, Any], code: str, ok: bool
) -> None:
    appointment_request_json["serviceCode"] = code
    if ok:
        assert validate(AppointmentRequest, appointment_request_json).service_code == code
    else:
        with pytest.raises(EntityValidationError) as caught:
            validate(AppointmentRequest, appointment_request_json)
        assert caught.value.problems[0].field == "serviceCode"


@pytest.mark.parametrize(
    ("pos", "stored"), [("02", "02"), ("10", "10"), ("11", "11"), ("53", "53"), ("2", "02")]
)
def test_place_of_service_codes(pos: str, stored: str) -> None:
    location = validate(Location, {"locationId": "loc_1", "name": "Main",
                                   "defaultPlaceOfService": pos})
    assert location.default_place_of_service == stored


@pytest.mark.parametrize("pos", ["00", "30", "59", "98", "111", "Office"])
def test_unassigned_place_of_service_codes_are_refused(pos: str) -> None:
    with pytest.raises(EntityValidationError) as caught:
        validate(Location, {"locationId": "loc_1", "name": "Main",
                            "defaultPlaceOfService": pos})
    assert caught.value.problems[0].field == "defaultPlaceOfService"


def _refusal(code: str) -> str:
    with pytest.raises(EntityValidationError) as caught:
        _diagnosis(code)
    (problem,) = caught.value.problems
    assert problem.field == "code"
    return problem.message


@pytest.mark.parametrize("code", ["F10", "F32", "F43.1", "T14.91", "F30-F39", "5"])
def test_every_code_a_refusal_suggests_is_itself_accepted(code: str) -> None:
    # codes.md §5: only leaves are billable. F10's children F10.1/F10.2/F10.9 are not, so
    # suggesting them would only earn the user a second refusal.
    message = _refusal(code)
    suggested = message.split("such as ", 1)[1].split(", ")
    assert len(suggested) == 3
    for example in suggested:
        assert _diagnosis(example).code == example


def test_the_alcohol_category_suggests_one_leaf_per_kind_of_disorder() -> None:
    # F10.1 abuse, F10.2 dependence, F10.9 use: the first billable code of each.
    assert _refusal("F10").endswith("such as F10.10, F10.20, F10.90")


@pytest.mark.parametrize(("code", "kind"), [("5", "chapter"), ("F30-F39", "block")])
def test_a_chapter_or_block_is_not_called_a_category(code: str, kind: str) -> None:
    message = _refusal(code)
    assert f"ICD-10-CM {kind}" in message and "category," not in message
    assert "not a diagnosis code" in message
