"""837P claims built from awkward real-world data: every file that is written passes pyx12
(the independent validator); everything that cannot be written is refused before any text
exists, naming the field."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from portwright.entities.claim import ClaimAddress, ClaimPatient, Subscriber
from portwright.exceptions import ClaimValidationError
from portwright.testing.claims import make_claim, make_line, make_submitter
from portwright.testing.x12_oracle import pyx12_check
from portwright.x12 import Delimiters, parse_interchanges
from portwright.x12.build837 import build_837p
from portwright.x12.envelope import EnvelopeConfig

NOW = datetime(2026, 2, 1, 9, 30, tzinfo=UTC)
CONFIG = EnvelopeConfig(sender_id="CASC01", receiver_id="CLEARHOUSE01")
HOME = ClaimAddress(line1="422 PINE ST", city="SEATTLE", region="WA", postal_code="98101")


def _patient(**overrides: Any) -> ClaimPatient:
    values: dict[str, Any] = {
        "patient_id": "pt_1", "member_id": "RGN1234567", "first_name": "AVERY",
        "last_name": "NGUYEN", "dob": date(1992, 4, 17), "sex": "female", "address": HOME}
    values.update(overrides)
    return ClaimPatient(**values)


def _elements(text: str, tag: str) -> list[list[str]]:
    return [s.elements for s in parse_interchanges(text)[0].segments if s.tag == tag]


def _refusal(claim: Any, config: EnvelopeConfig = CONFIG) -> list[tuple[str, str]]:
    with pytest.raises(ClaimValidationError) as caught:
        build_837p([claim], make_submitter(), config, now=NOW)
    return [(p.field, p.message) for p in caught.value.problems]


@pytest.mark.parametrize("claim", [
    make_claim(patient=_patient(last_name="O'BRIEN-SMITH", first_name="MARY-KATE")),
    make_claim(patient=_patient(last_name="X" * 60, first_name="Y" * 35)),
    make_claim(patient=_patient(address=ClaimAddress(
        line1="1 A ST #4 (REAR) & CO.", city="SEATTLE", region="WA", postal_code="98101-1234"))),
    make_claim(service_lines=[make_line(modifiers=["95", "HO", "U1", "GT"])]),
    # A dependent whose subscriber's address is unknown: 2010BA N3/N4 are optional then.
    make_claim(patient=_patient(relationship_to_subscriber="19", member_id=None,
                                subscriber=Subscriber(member_id="RGN7654321",
                                                      first_name="PAT", last_name="NGUYEN"))),
    make_claim(diagnosis_codes=[
        "F41.1", "F33.1", "F32.9", "F43.10", "F43.12", "F90.0", "F90.1", "F90.2", "F84.0",
        "F42.2", "F40.10", "F51.01"]),
    make_claim(service_lines=[
        make_line(appointment_id=f"apt_{n}", service_date=date(2025, 1 + n // 28, 1 + n % 28))
        for n in range(50)]),
], ids=["apostrophe-hyphen", "longest-names", "punctuation-zip4", "four-modifiers",
        "no-subscriber-address", "twelve-diagnoses", "fifty-lines"])
def test_awkward_but_writable_claims_pass_pyx12(claim: Any) -> None:
    text = build_837p([claim], make_submitter(), CONFIG, now=NOW).text
    verdict = pyx12_check(text)
    assert verdict.ok, verdict.errors


@pytest.mark.parametrize(("claim", "field", "words"), [
    (make_claim(patient=_patient(first_name="JOSÉ", last_name="NÚÑEZ")),
     "patient.lastName", "outside ASCII"),
    (make_claim(patient=_patient(last_name="NGUYEN*TRAN")), "patient.lastName", "'*'"),
    (make_claim(patient=_patient(address=ClaimAddress(line1="12 OAK ST~APT 2", city="SEATTLE",
                                                      region="WA", postal_code="98101"))),
     "patient.address.line1", "'~'"),
    (make_claim(patient=_patient(first_name="ANN:MARIE")), "patient.firstName", "':'"),
    (make_claim(patient=_patient(last_name="LEE^KIM")), "patient.lastName", "'^'"),
    (make_claim(patient=_patient(last_name="X" * 61)), "patient.lastName", "NM103"),
    (make_claim(patient=_patient(first_name="Y" * 36)), "patient.firstName", "NM104"),
    (make_claim(patient=_patient(address=None)), "patient.address", "required"),
    (make_claim(diagnosis_codes=[
        "F41.1", "F33.1", "F32.9", "F43.10", "F43.12", "F90.0", "F90.1", "F90.2", "F84.0",
        "F42.2", "F40.10", "F51.01", "F63.81"]), "diagnosisCodes", "at most 12"),
    (make_claim(service_lines=[
        make_line(appointment_id=f"apt_{n}", service_date=date(2025, 1 + n // 28, 1 + n % 28))
        for n in range(51)]), "serviceLines", "at most 50"),
    (make_claim(service_lines=[make_line(modifiers=["95", "HO", "U1", "U2", "U3"])]),
     "serviceLines[0].modifiers", "at most 4"),
    (make_claim(service_lines=[make_line(charge_amount=Decimal(0))]),
     "serviceLines[0].chargeAmount", "greater than 0"),
    (make_claim(service_lines=[make_line(charge_amount=Decimal("-120.00"))]),
     "serviceLines[0].chargeAmount", "greater than 0"),
    (make_claim(service_lines=[make_line(charge_amount=Decimal("120.005"))]),
     "serviceLines[0].chargeAmount", "at most 2 decimals"),
], ids=["accents", "element-separator", "segment-terminator", "component-separator",
        "repetition-separator", "nm103-61", "nm104-36", "no-address", "thirteen-diagnoses",
        "fifty-one-lines", "five-modifiers", "zero-charge", "negative-charge", "third-decimal"])
def test_unwritable_claims_are_refused_naming_the_field(claim: Any, field: str,
                                                        words: str) -> None:
    problems = _refusal(claim)
    assert any(f == field and words in m for f, m in problems), problems


def test_a_name_holding_the_configured_component_separator_is_refused() -> None:
    """'>' is plain text with ':' as component separator, and a separator with '>'."""
    claim = make_claim(patient=_patient(last_name="A>B"))
    assert pyx12_check(build_837p([claim], make_submitter(), CONFIG, now=NOW).text).ok
    pipes = EnvelopeConfig(sender_id="CASC01", receiver_id="CLEARHOUSE01",
                           delimiters=Delimiters("|", ">", "^", "~"))
    assert ("patient.lastName", "contains the X12 separator '>'") in _refusal(claim, pipes)


def test_a_charge_with_trailing_zero_decimals_is_billed_in_cents() -> None:
    """A money column with four decimals sends 120.0000: that is 120.00, but it was refused
    as 'at most 2 decimals'."""
    claim = make_claim(service_lines=[make_line(charge_amount=Decimal("120.0000"))])
    text = build_837p([claim], make_submitter(), CONFIG, now=NOW).text
    assert _elements(text, "SV1")[0][1] == "120.00"
    assert _elements(text, "CLM")[0][1] == "120.00"
    assert pyx12_check(text).ok


def test_units_that_do_not_fit_sv104_are_refused() -> None:
    """Units computed as 50 minutes / 60 went out as 0.8333333333333333333333333333, and
    pyx12 refused the whole file (SV104 'is too long')."""
    claim = make_claim(service_lines=[make_line(units=Decimal(50) / Decimal(60))])
    [(field, message)] = _refusal(claim)
    assert field == "serviceLines[0].units"
    assert "does not fit SV104 (at most 15 characters)" in message
    rounded = make_claim(service_lines=[make_line(units=Decimal("0.83"))])
    text = build_837p([rounded], make_submitter(), CONFIG, now=NOW).text
    assert _elements(text, "SV1")[0][3] == "0.83" and pyx12_check(text).ok


def test_amounts_that_do_not_fit_their_elements_are_refused() -> None:
    """pyx12 refuses an amount longer than 18 characters in CLM02 and SV102."""
    claim = make_claim(service_lines=[make_line(charge_amount=Decimal("12345678901234567"))])
    problems = _refusal(claim)
    assert ("serviceLines[0].chargeAmount",
            "12345678901234567.00 does not fit SV102 (at most 18 characters)") in problems
    assert any(f == "chargeAmount" and "CLM02" in m for f, m in problems), problems
    # Lines that fit one by one but not in their sum.
    big = Decimal("999999999999999.99")
    problems = _refusal(make_claim(service_lines=[
        make_line(appointment_id="apt_1", charge_amount=big),
        make_line(appointment_id="apt_2", charge_amount=big, service_date=date(2026, 1, 26))]))
    assert [f for f, _ in problems] == ["chargeAmount"], problems


def test_a_line_break_as_segment_terminator_is_not_doubled() -> None:
    """A partner's newline terminator plus the default line break left an empty line after
    every segment; pyx12 failed the file ('Mandatory segment IEA missing')."""
    config = EnvelopeConfig(sender_id="CASC01", receiver_id="CLEARHOUSE01",
                            delimiters=Delimiters("*", ":", "^", "\n"))
    text = build_837p([make_claim()], make_submitter(), config, now=NOW).text
    assert "\n\n" not in text and text.endswith("IEA*1*000000001\n")
    verdict = pyx12_check(text)
    assert verdict.ok, verdict.errors
