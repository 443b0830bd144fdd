"""A bad claim gets field-level errors and no 837P text at all."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from portwright.entities.claim import ClaimPatient
from portwright.exceptions import ClaimValidationError
from portwright.testing.claims import make_claim, make_line, make_submitter
from portwright.x12.build837 import build_837p
from portwright.x12.envelope import EnvelopeConfig
from portwright.x12.validate_claim import ClaimContext, claim_problems

NOW = datetime(2026, 2, 1, 9, 30, tzinfo=UTC)
CONFIG = EnvelopeConfig(sender_id="CASC01", receiver_id="CLEARHOUSE01")


def _problems(*claims: object) -> dict[str, str]:
    with pytest.raises(ClaimValidationError) as info:
        build_837p(list(claims), make_submitter(), CONFIG, now=NOW)  # type: ignore[arg-type]
    assert "no 837P was written" in str(info.value)
    return {p.field: p.message for p in info.value.problems}


def test_every_problem_is_reported_with_its_field() -> None:
    bad = make_claim(
        diagnosis_codes=["F32", "ZZZ9"],
        charge_amount=Decimal("999.00"),
        service_lines=[
            make_line(service_code="9083", modifiers=["95", "93"], place_of_service="30",
                      diagnosis_pointers=["1", "5"], service_date=date(2026, 3, 1)),
        ],
    )
    bad.billing_provider.npi = "1234567890"
    problems = _problems(bad)
    assert "not a valid NPI" in problems["billingProvider.npi"]
    assert "not a billable ICD-10-CM" in problems["diagnosisCodes[0]"]
    assert "not a billable ICD-10-CM" in problems["diagnosisCodes[1]"]
    assert "not a CPT" in problems["serviceLines[0].serviceCode"]
    assert "contradict" in problems["serviceLines[0].modifiers"]
    assert "place of service" in problems["serviceLines[0].placeOfService"]
    assert "does not point" in problems["serviceLines[0].diagnosisPointers[1]"]
    assert "in the future" in problems["serviceLines[0].serviceDate"]
    assert "does not equal the sum" in problems["chargeAmount"]


def test_paths_name_the_claim_in_a_batch_and_good_claims_do_not_hide_bad_ones() -> None:
    good = make_claim("OK-1")
    bad = make_claim("BAD-1", service_lines=[make_line(charge_amount=Decimal("0"))])
    problems = _problems(good, bad)
    assert list(problems) == ["claims[1].serviceLines[0].chargeAmount"]


def test_duplicate_claim_numbers_in_one_file() -> None:
    problems = _problems(make_claim("SAME"), make_claim("SAME"))
    assert "also used by claims[0]" in problems["claims[1].patientControlNumber"]


@pytest.mark.parametrize("frequency", ["7", "8"])
def test_replacement_and_void_need_the_original_claim_number(frequency: str) -> None:
    problems = _problems(make_claim(frequency_code=frequency))
    assert "required" in problems["originalClaimNumber"]


def test_add_on_without_primary_and_em_with_standalone_psychotherapy() -> None:
    problems = _problems(make_claim(service_lines=[
        make_line(service_code="90833", appointment_id="a1"),
    ]))
    assert "without its primary code" in problems["serviceLines"]
    problems = _problems(make_claim(service_lines=[
        make_line(service_code="99213", appointment_id="a1"),
        make_line(service_code="90834", appointment_id="a2"),
    ]))
    assert "E/M" in problems["serviceLines"]


def test_patient_details_and_separators() -> None:
    claim = make_claim(patient=ClaimPatient(member_id="M1", first_name="A*B",
                                            last_name="Müller"))
    problems = _problems(claim)
    assert "outside ASCII" in problems["patient.lastName"]
    assert problems["patient.dob"] == "required for the 837P"
    assert "separator" in problems["patient.firstName"]
    quoted = make_claim(patient_control_number='Q"1:2')
    assert "separator ':'" in _problems(quoted)["patientControlNumber"]
    tilde = make_claim(payer_id="P~1")
    assert "separator '~'" in _problems(tilde)["payerId"]


def test_separator_in_an_otherwise_valid_claim_or_submitter() -> None:
    claim = make_claim()
    claim.rendering_provider.last_name = "RUIZ~SMITH"  # type: ignore[union-attr]
    problems = _problems(claim)
    assert list(problems) == ["renderingProvider.lastName"]
    submitter = make_submitter()
    submitter.name = "CASCADIA*HEALTH"
    with pytest.raises(ClaimValidationError) as info:
        build_837p([make_claim()], submitter, CONFIG, now=NOW)
    assert [p.field for p in info.value.problems] == ["submitter.name"]


def test_claim_filing_code_table() -> None:
    problems = _problems(make_claim(claim_filing_code="XX"))
    assert "not a claim filing indicator code" in problems["claimFilingCode"]


def test_missing_pointer_target_and_units() -> None:
    problems = _problems(make_claim(diagnosis_codes=[], service_lines=[
        make_line(units=Decimal(0))]))
    assert "at least one" in problems["diagnosisCodes"]
    assert "does not point" in problems["serviceLines[0].diagnosisPointers[0]"]
    assert "greater than 0" in problems["serviceLines[0].units"]


def test_billing_provider_zip_plus_four_and_tax_id() -> None:
    claim = make_claim()
    assert claim.billing_provider.billing_address is not None
    claim.billing_provider.billing_address.postal_code = "98109"
    claim.billing_provider.tax_id = "12-34"
    problems = _problems(claim)
    assert "ZIP+4" in problems["billingProvider.billingAddress.postalCode"]
    assert "EIN" in problems["billingProvider.taxId"]


def test_values_longer_than_their_element_are_named_and_none_is_cut() -> None:
    # 005010X222A1 maxima (pyx12: "is too long"): NM103 60, NM104 35, N301 55, N401 30.
    claim = make_claim()
    claim.patient.last_name = "A" * 61
    claim.patient.first_name = "B" * 36
    claim.patient.address.line1 = "C" * 56  # type: ignore[union-attr]
    claim.patient.address.city = "D" * 31  # type: ignore[union-attr]
    claim.billing_provider.name = "E" * 61
    problems = _problems(claim)
    assert problems == {
        "billingProvider.name": "61 characters; NM103 holds at most 60",
        "patient.lastName": "61 characters; NM103 holds at most 60",
        "patient.firstName": "36 characters; NM104 holds at most 35",
        "patient.address.line1": "56 characters; N301 holds at most 55",
        "patient.address.city": "31 characters; N401 holds at most 30",
    }
    at_limit = make_claim()
    at_limit.patient.last_name = "A" * 60
    at_limit.patient.first_name = "B" * 35
    text = build_837p([at_limit], make_submitter(), CONFIG, now=NOW).text
    assert f"NM1*IL*1*{'A' * 60}*{'B' * 35}****MI*" in text
    submitter = make_submitter()
    submitter.name = "S" * 61
    with pytest.raises(ClaimValidationError) as info:
        build_837p([make_claim()], submitter, CONFIG, now=NOW)
    assert [p.field for p in info.value.problems] == ["submitter.name"]


@pytest.mark.parametrize("name", ["NGUYEN\nX", "NGU\tYEN", "NGUYEN\r", "NGU\x00YEN"])
def test_control_characters_are_refused(name: str) -> None:
    # A line break or tab inside a name reaches the file otherwise (pyx12: "contains an
    # invalid control character").
    claim = make_claim()
    claim.patient.last_name = name
    problems = _problems(claim)
    assert list(problems) == ["patient.lastName"]
    assert "control character" in problems["patient.lastName"]
    ctx = ClaimContext(today=NOW.date())
    assert [p.field for p in claim_problems(claim, ctx)] == ["patient.lastName"]
    submitter = make_submitter()
    submitter.contact_name = "BILLING\nOFFICE"
    with pytest.raises(ClaimValidationError) as info:
        build_837p([make_claim()], submitter, CONFIG, now=NOW)
    assert [p.field for p in info.value.problems] == ["submitter.contactName"]


def test_names_given_as_blanks_are_missing() -> None:
    # str_strip_whitespace turns "  " into "": NM103 would go out empty (pyx12:
    # "Mandatory data element ... (NM103) is missing").
    claim = make_claim()
    claim.patient.last_name = ""
    claim.patient.first_name = ""
    claim.rendering_provider.last_name = ""  # type: ignore[union-attr]
    problems = _problems(claim)
    assert problems == {"patient.lastName": "required for the 837P",
                        "patient.firstName": "required for the 837P",
                        "renderingProvider.lastName": "required for the 837P (NM1*82)"}
    dependent = make_claim(patient=ClaimPatient.model_validate({
        **make_claim().patient.to_json_dict(), "relationshipToSubscriber": "19",
        "memberId": None,
        "subscriber": {"memberId": " ", "firstName": "PAT", "lastName": " "}}))
    assert _problems(dependent) == {
        "patient.subscriber.memberId": "required for the 837P",
        "patient.subscriber.lastName": "required for the 837P"}


def test_a_claims_file_names_a_submitter_name_too_long_for_its_element(
        tmp_path: Path) -> None:
    from portwright.x12.batch import load_claim_batch

    submitter = make_submitter().to_json_dict()
    submitter["receiverName"] = "R" * 61
    path = tmp_path / "claims.json"
    path.write_text(json.dumps({"submitter": submitter,
                                "claims": [make_claim().to_json_dict()]}))
    with pytest.raises(ClaimValidationError) as info:
        load_claim_batch(path)
    assert [(p.field, p.message) for p in info.value.problems] == [
        ("submitter.receiverName", "61 characters; NM103 holds at most 60")]


def test_claim_numbers_that_differ_only_in_letter_case_are_one_claim_to_a_payer() -> None:
    """A payer may return CLM01 upper-cased in the 835 (CLP01): 'clm-7' and 'CLM-7' in one
    batch would both match it, and one of them would be posted with the other's payment."""
    assert _problems(make_claim("CLM-7"), make_claim("CLM-8"), make_claim("clm-7")) == {
        "claims[2].patientControlNumber": "'clm-7' differs from claims[0]'s 'CLM-7' only "
        "in letter case (an 835 may return it upper-cased, matching both)"}
    assert _problems(make_claim("CLM-7"), make_claim("CLM-7")) == {
        "claims[1].patientControlNumber": "'CLM-7' is also used by claims[0]"}
