"""837P assembly, judged by pyx12 (an independent validator) and by the claim data itself."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from portwright.entities.claim import ClaimAddress, ClaimPatient, Submitter, Subscriber
from portwright.exceptions import ClaimValidationError, FieldProblem
from portwright.testing.claims import make_claim, make_line, make_submitter
from portwright.testing.x12_oracle import pyx12_check
from portwright.x12 import Delimiters, parse_interchanges
from portwright.x12.build837 import build_837p
from portwright.x12.envelope import CounterControlNumbers, EnvelopeConfig

NOW = datetime(2026, 2, 1, 9, 30, tzinfo=UTC)
CONFIG = EnvelopeConfig(sender_id="CASC01", receiver_id="CLEARHOUSE01")


def _segments(text: str, tag: str) -> list[list[str]]:
    return [s.elements for s in parse_interchanges(text)[0].segments if s.tag == tag]


def test_single_claim_single_line_passes_pyx12() -> None:
    result = build_837p([make_claim()], make_submitter(), CONFIG, now=NOW)
    verdict = pyx12_check(result.text)
    assert verdict.ok, verdict.errors
    assert "AK9*A*1*1*1" in verdict.ack
    clm = _segments(result.text, "CLM")
    assert clm == [["CLM-0001", "120.00", "", "", "11:B:1", "Y", "A", "Y", "Y"]]
    assert _segments(result.text, "HI") == [["ABK:F411"]]
    assert _segments(result.text, "SV1") == [["HC:90834", "120.00", "UN", "1", "", "", "1"]]
    assert _segments(result.text, "DTP") == [["472", "D8", "20260125"]]
    assert _segments(result.text, "REF")[-1] == ["6R", "apt_7c2e51"]


def _batch() -> list:  # type: ignore[type-arg]
    dependent = ClaimPatient(
        patient_id="pt_child", first_name="SAM", last_name="NGUYEN", dob=date(2014, 6, 2),
        sex="male", relationship_to_subscriber="19",
        address=ClaimAddress(line1="422 PINE ST", city="SEATTLE", region="WA",
                             postal_code="98101"),
        subscriber=Subscriber(member_id="RGN7654321", first_name="AVERY", last_name="NGUYEN",
                              dob=date(1988, 1, 9), sex="female",
                              address=ClaimAddress(line1="422 PINE ST", city="SEATTLE",
                                                   region="WA", postal_code="98101")))
    return [
        # E/M with psychotherapy add-on, two dates, three lines, two diagnoses.
        make_claim("CLM-1001", diagnosis_codes=["F33.1", "F41.1"], service_lines=[
            make_line(appointment_id="apt_1", service_code="99214",
                      diagnosis_pointers=["1", "2"], charge_amount=Decimal("150")),
            make_line(appointment_id="apt_1b", service_code="90836",
                      diagnosis_pointers=["1"], charge_amount=Decimal("95.50")),
            make_line(appointment_id="apt_2", service_code="90837", diagnosis_pointers=["2"],
                      charge_amount=Decimal("180"), service_date=date(2026, 1, 27)),
        ], charge_amount=Decimal("425.50")),
        # Telehealth, video, patient at home: POS 10 + modifier 95.
        make_claim("CLM-1002", service_lines=[
            make_line(appointment_id="apt_3", modifiers=["95"], place_of_service="10")]),
        # Telehealth audio-only, other location: POS 02 + 93, with a program modifier.
        make_claim("CLM-1003", service_lines=[
            make_line(appointment_id="apt_4", modifiers=["93", "HO"], place_of_service="02")]),
        # Legacy GT with a Medicaid payer, line POS differs from claim POS.
        make_claim("CLM-1004", place_of_service="11", claim_filing_code="MC", service_lines=[
            make_line(appointment_id="apt_5", service_code="90791", modifiers=["GT"],
                      place_of_service="02"),
            make_line(appointment_id="apt_6", service_code="90785",
                      charge_amount=Decimal("20"))]),
        # Replacement and void of earlier claims.
        make_claim("CLM-0900", frequency_code="7", original_claim_number="PAYER-778812"),
        make_claim("CLM-0901", frequency_code="8", original_claim_number="PAYER-778813"),
        # Dependent patient (2000C), crisis codes with units, a date range.
        make_claim("CLM-1005", patient=dependent, service_lines=[
            make_line(appointment_id="apt_7", service_code="90839",
                      charge_amount=Decimal("200")),
            make_line(appointment_id="apt_8", service_code="90840", units=Decimal(2),
                      charge_amount=Decimal("160"),
                      service_date_end=date(2026, 1, 25))]),
    ]


def test_many_claims_lines_replacement_void_and_telehealth_pass_pyx12() -> None:
    claims = _batch()
    result = build_837p(claims, make_submitter(), CONFIG, now=NOW)
    verdict = pyx12_check(result.text)
    assert verdict.ok, verdict.errors
    clms = {c[0]: c for c in _segments(result.text, "CLM")}
    assert set(clms) == {c.patient_control_number for c in claims}
    assert clms["CLM-1001"][1] == "425.50"
    assert clms["CLM-0900"][4] == "11:B:7"
    assert clms["CLM-0901"][4] == "11:B:8"
    refs = _segments(result.text, "REF")
    assert ["F8", "PAYER-778812"] in refs and ["F8", "PAYER-778813"] in refs
    sv1 = [s[0] for s in _segments(result.text, "SV1")]
    assert {"HC:90834:95", "HC:90834:93:HO", "HC:90791:GT"} <= set(sv1)
    assert sum(len(c.service_lines) for c in claims) == len(sv1)
    # POS 02 on the line only where it differs from the claim's POS 11.
    gt_line = next(s for s in _segments(result.text, "SV1") if s[0] == "HC:90791:GT")
    assert gt_line[4] == "02"
    # One billing provider HL, one subscriber HL per claim, one patient HL for the child.
    hl_levels = [h[2] for h in _segments(result.text, "HL")]
    assert hl_levels.count("20") == 1
    assert hl_levels.count("22") == len(claims)
    assert hl_levels.count("23") == 1
    assert ["19"] in _segments(result.text, "PAT")
    assert ["472", "RD8", "20260125-20260125"] not in _segments(result.text, "DTP")


def test_claims_split_into_several_transactions_and_custom_delimiters() -> None:
    delimiters = Delimiters(element="|", component=">", repetition="!", segment="\n")
    config = EnvelopeConfig(sender_id="CASC01", receiver_id="CLEARHOUSE01",
                            delimiters=delimiters, line_break="")
    claims = [make_claim(f"CLM-2{n:03d}", service_lines=[make_line(appointment_id=f"a{n}")])
              for n in range(5)]
    numbers = CounterControlNumbers(interchange=41, group=7)
    result = build_837p(claims, make_submitter(), config, now=NOW, numbers=numbers,
                        max_claims_per_transaction=2)
    verdict = pyx12_check(result.text)
    assert verdict.ok, verdict.errors
    assert result.interchange_control_number == "000000041"
    inter = parse_interchanges(result.text)[0]
    assert inter.delimiters == delimiters
    assert [len([s for s in t.body if s.tag == "CLM"]) for t in inter.transactions()] == [2, 2, 1]
    assert inter.problems() == []
    assert inter.groups[0].gs.get(6) == "7"
    # The next file gets the next control numbers.
    again = build_837p(claims[:1], make_submitter(), config, now=NOW, numbers=numbers)
    assert again.interchange_control_number == "000000042"


@pytest.mark.parametrize("usage", ["T", "P"])
def test_usage_indicator(usage: str) -> None:
    config = EnvelopeConfig(sender_id="S1", receiver_id="R1", usage=usage)  # type: ignore[arg-type]
    text = build_837p([make_claim()], make_submitter(), config, now=NOW).text
    assert parse_interchanges(text)[0].isa.get(15) == usage


def test_ids_too_long_for_the_envelope_are_errors_before_a_number_is_taken() -> None:
    """ISA06/ISA08 hold 15 characters and GS02/GS03 2 to 15: a longer id was cut to 15 in
    the ISA (another trading partner's id, perhaps) and written whole in the GS."""
    config = EnvelopeConfig(sender_id="CASCADIABEHAVIORAL01",
                            receiver_id="CLEARINGHOUSE-RECEIVER-99")
    numbers = CounterControlNumbers(interchange=40, group=40)
    with pytest.raises(ClaimValidationError) as info:
        build_837p([make_claim()], make_submitter(), config, now=NOW, numbers=numbers)
    assert [str(p) for p in info.value.problems] == [
        "envelope.senderId: 'CASCADIABEHAVIORAL01' is 20 characters; ISA06 (and GS02) holds "
        "2 to 15",
        "envelope.receiverId: 'CLEARINGHOUSE-RECEIVER-99' is 25 characters; ISA08 (and GS03) "
        "holds 2 to 15"]
    assert (numbers.interchange, numbers.group) == (40, 40)
    fits = EnvelopeConfig(sender_id="CASCADIABEHAVIO", receiver_id="CLEARINGHOUSE-R")
    text = build_837p([make_claim()], make_submitter(), fits, now=NOW, numbers=numbers).text
    assert pyx12_check(text).ok


def test_a_claims_file_s_submitter_is_checked_once_from_reading_to_writing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`claims build` reads the file (the submitter is checked there, so `claims validate`
    finds a name too long) and builds it: the build takes the checked submitter as it is,
    as it does the checked envelope."""
    import json

    import portwright.x12.validate_claim as rules
    from portwright.x12.batch import load_claim_batch

    calls: list[str] = []
    real = rules.submitter_problems

    def counted(submitter: Submitter) -> list[FieldProblem]:
        calls.append(submitter.name)
        return real(submitter)

    path = tmp_path / "claims.json"
    path.write_text(json.dumps({"submitter": make_submitter().to_json_dict(),
                                "claims": [make_claim().to_json_dict()]}))
    # Wherever the check is bound (a module that does not bind it gains an unused name).
    for module in ("validate_claim", "batch", "build837", "checked_submitter"):
        monkeypatch.setattr(f"portwright.x12.{module}.submitter_problems", counted,
                            raising=False)
    batch = load_claim_batch(path)
    text = build_837p(batch.claims, batch.submitter, batch.envelope, now=NOW).text
    assert calls == ["CASCADIA BEHAVIORAL HEALTH"]
    assert "NM1*41*2*CASCADIA BEHAVIORAL HEALTH*****46*CASC01~" in text
    # A plain submitter is still checked by the build, with the same message.
    calls.clear()
    too_long = make_submitter().model_copy(update={"contact_name": "C" * 61})
    with pytest.raises(ClaimValidationError) as info:
        build_837p(batch.claims, too_long, batch.envelope, now=NOW)
    assert [(p.field, p.message) for p in info.value.problems] == [
        ("submitter.contactName", "61 characters; PER02 holds at most 60")]
    assert calls == ["CASCADIA BEHAVIORAL HEALTH"]


def test_a_checked_submitter_cannot_be_changed_into_an_unchecked_one() -> None:
    from pydantic import ValidationError

    from portwright.x12.checked_submitter import CheckedSubmitter, check_submitter

    checked = check_submitter(make_submitter())
    assert isinstance(checked, CheckedSubmitter)
    assert checked.to_json_dict() == make_submitter().to_json_dict()
    with pytest.raises(ValidationError, match="frozen"):
        checked.name = "N" * 61  # type: ignore[misc]  # mypy refuses it as well


def test_checked_settings_made_directly_are_checked_all_the_same() -> None:
    """A ``CheckedEnvelope`` or ``CheckedSubmitter`` built by hand (not through the
    check) with an id longer than ISA06 allows would have shifted every later ISA field;
    the clearinghouse rejects such a file. Building one checks it."""
    from portwright.exceptions import X12Error
    from portwright.x12.checked_submitter import CheckedSubmitter
    from portwright.x12.envelope import CheckedEnvelope

    with pytest.raises(X12Error, match=r"senderId: .*ISA06.*nothing was written"):
        CheckedEnvelope(sender_id="S" * 20, receiver_id="RCV")
    too_long = make_submitter().model_dump(by_alias=True) | {"name": "N" * 61}
    with pytest.raises(X12Error, match=r"nothing was written"):
        CheckedSubmitter.model_validate(too_long)
