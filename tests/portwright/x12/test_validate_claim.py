"""A bad claim gets field-level errors and no 837P text at all."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from portwright.entities.claim import ClaimPatient
from portwright.exceptions import ClaimValidationError
from portwright.testing.claims import make_claim, make_line, make_submitter
from portwright.x12.build837 import build_837p
from portwright.x12.envelope import EnvelopeConfig

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
