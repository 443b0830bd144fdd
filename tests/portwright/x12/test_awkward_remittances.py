"""835 remittances as payers send them: several transaction sets in one interchange,
reversals with corrections, provider adjustments, claims paid at zero, CRLF, padding,
truncation and unknown segments. Hand-written files are checked with pyx12 first; the
expected figures are worked out by hand in the comments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from portwright.exceptions import X12Error
from portwright.testing.claims import make_claim, make_line
from portwright.testing.x12_oracle import pyx12_check
from portwright.x12.parse835 import parse_835
from portwright.x12.reconcile import ClaimReconciliation, reconcile


def _header(total: str, trace: str) -> list[str]:
    return [
        f"BPR*I*{total}*C*ACH*CCP*01*123456789*DA*987654321*1234567890**01*111000025*DA*55555"
        "*20260212",
        f"TRN*1*{trace}*1234567890", "DTM*405*20260210", "N1*PR*REGENCE BLUESHIELD",
        "N3*PO BOX 1000", "N4*SEATTLE*WA*98111", "PER*BL*EDI SUPPORT*TE*8005550100",
        "N1*PE*CASCADIA BEHAVIORAL HEALTH*XX*1234567893", "LX*1"]


def _claim_payment(clp: str, svc: str, cas: str, control: str) -> list[str]:
    return [clp, "NM1*QC*1*NGUYEN*AVERY****MI*RGN1234567", svc, "DTM*472*20260125", cas,
            f"REF*6R*{control}"]


# CLM-A billed 120: first paid 100 (CO-45 20) ...
ORIGINAL = _claim_payment("CLP*CLM-A*1*120.00*100.00**12*PAYERA1",
                          "SVC*HC:90834*120.00*100.00**1", "CAS*CO*45*20.00", "apt_a")
# ... then taken back in full (status 22, every amount negated) ...
REVERSAL = _claim_payment("CLP*CLM-A*22*-120.00*-100.00**12*PAYERA1",
                          "SVC*HC:90834*-120.00*-100.00**1", "CAS*CO*45*-20.00", "apt_a")
# ... and paid again at 110 (CO-45 10).
CORRECTION = _claim_payment("CLP*CLM-A*1*120.00*110.00**12*PAYERA2",
                            "SVC*HC:90834*120.00*110.00**1", "CAS*CO*45*10.00", "apt_a")
# CLM-B billed 200, processed as primary, all of it applied to the deductible.
DEDUCTIBLE = _claim_payment("CLP*CLM-B*1*200.00*0*200.00*12*PAYERB1",
                            "SVC*HC:90837*200.00*0**1", "CAS*PR*1*200.00", "apt_b")
# Interest paid to the provider (L6, negative) and an overpayment recovered (WO).
PLB = "PLB*1234567893*20261231*L6:INT1*-5.00*WO:OVP1*10.00"

FIRST_SET = _header("100.00", "EFT1") + ORIGINAL
# -100 + 110 + 0 = 10 paid on claims, less PLB (-5 + 10 = 5): BPR02 5.00.
SECOND_SET = _header("5.00", "EFT2") + REVERSAL + CORRECTION + DEDUCTIBLE + [PLB]


def _era(*sets: list[str], line_end: str = "\n") -> str:
    segments = [
        "ISA*00*          *00*          *ZZ*REGENCE01      *ZZ*CASC01         *260210*0800*^"
        "*00501*000000077*0*T*:", "GS*HP*REGENCE01*CASC01*20260210*0800*77*X*005010X221A1"]
    for n, body in enumerate(sets, start=1):
        segments += [f"ST*835*{n:04d}", *body, f"SE*{len(body) + 2}*{n:04d}"]
    segments += [f"GE*{len(sets)}*77", "IEA*1*000000077"]
    return "".join(s + "~" + line_end for s in segments)


def _claims() -> list:  # type: ignore[type-arg]
    return [make_claim("CLM-A", service_lines=[make_line(appointment_id="apt_a")]),
            make_claim("CLM-B", service_lines=[make_line(appointment_id="apt_b",
                                                         service_code="90837",
                                                         charge_amount=Decimal(200))])]


def _outcome(text: str, claims: list | None = None) -> dict[str, ClaimReconciliation]:  # type: ignore[type-arg]
    report = reconcile(claims or _claims(), parse_835(text))
    assert report.unbalanced_remittances == []
    return {c.patient_control_number: c for c in report.claims}


@pytest.mark.parametrize("line_end", ["", "\n", "\r\n"])
def test_two_transaction_sets_with_reversal_plb_and_crlf_are_valid_and_balance(
        line_end: str) -> None:
    text = _era(FIRST_SET, SECOND_SET, line_end=line_end)
    verdict = pyx12_check(text)
    assert verdict.ok, verdict.errors
    first, second = parse_835(text)
    assert (first.trace_number, second.trace_number) == ("EFT1", "EFT2")
    assert first.balanced and second.balanced, (first.balance_problems,
                                                second.balance_problems)
    assert first.format_problems == [] and second.format_problems == []
    reversal = second.payments[0]
    assert (reversal.status_code, reversal.charge_amount, reversal.paid_amount) == (
        "22", Decimal("-120.00"), Decimal("-100.00"))
    assert [(a.reason_code, a.amount) for a in second.provider_adjustments] == [
        ("L6", Decimal("-5.00")), ("WO", Decimal("10.00"))]


def test_a_corrected_payment_is_matched_not_the_reversed_one() -> None:
    """The billed line was matched to the reversed payment's line (paid 100, CO-45 20)
    and the corrected line was reported as 'paid line(s) match no billed line'."""
    a = _outcome(_era(FIRST_SET, SECOND_SET))["CLM-A"]
    assert (a.status, a.paid) == ("matched", Decimal("110.00"))  # 100 - 100 + 110
    [line] = a.lines
    assert line.paid == Decimal("110.00")
    assert [(x.group_code, x.reason_code, x.amount) for x in line.adjustments] == [
        ("CO", "45", Decimal("10.00"))]
    assert a.notes == []
    assert a.payer_claim_control_number == "PAYERA2"


def test_a_correction_listed_before_its_reversal_still_stands() -> None:
    """The status came from whichever payment was listed last: a reversal listed after
    the corrected payment made a paid claim 'reversed'."""
    second = _header("5.00", "EFT2") + CORRECTION + REVERSAL + DEDUCTIBLE + [PLB]
    text = _era(FIRST_SET, second)
    assert pyx12_check(text).ok
    a = _outcome(text)["CLM-A"]
    assert (a.status, a.paid, a.lines[0].paid) == ("matched", Decimal("110.00"),
                                                   Decimal("110.00"))


def test_a_reversed_claim_shows_no_line_payment() -> None:
    """Paid, then reversed with nothing in its place: the line still showed 100 paid."""
    second = _header("100.00", "EFT2") + REVERSAL
    second[0] = second[0].replace("BPR*I*100.00*C", "BPR*I*100.00*D")  # money taken back
    text = _era(FIRST_SET, second)
    assert pyx12_check(text).ok
    a = _outcome(text, _claims()[:1])["CLM-A"]
    assert (a.status, a.paid, a.patient_responsibility) == ("reversed", Decimal(0),
                                                            Decimal(0))
    assert a.lines[0].paid is None


def test_a_reversal_of_a_payment_in_an_earlier_file_judges_the_correction() -> None:
    """Only the second remittance: the original payment of 100 is not given."""
    a = _outcome(_era(SECOND_SET))["CLM-A"]
    assert a.status == "matched"
    assert a.paid == Decimal("10.00")  # what this remittance moves: -100 + 110
    assert a.lines[0].paid == Decimal("110.00")
    assert a.notes == ["the standing payment is 110.00, but these remittances move 10.00: "
                       "a reversal takes back 100.00 paid in a remittance not given here"]


def test_a_claim_applied_to_the_deductible_is_not_denied() -> None:
    """Paid 0 with the whole charge left to the patient (PR-1) was reported 'denied': a
    denial is appealed, a deductible is billed to the patient."""
    b = _outcome(_era(FIRST_SET, SECOND_SET))["CLM-B"]
    assert (b.status, b.paid, b.patient_responsibility) == (
        "partially_paid", Decimal(0), Decimal("200.00"))
    assert b.reasons == ["PR-1 deductible amount (patient responsibility)"]
    assert b.lines[0].paid == Decimal(0)


def test_a_payer_that_upper_cases_the_claim_number_still_matches() -> None:
    """CLM01 'clm-a' came back as CLP01 'CLM-A' (and REF*6R 'apt_a' as 'APT_A'): the claim
    was 'unmatched' and its payment listed as nobody's."""
    claims = [make_claim("clm-a", service_lines=[make_line(appointment_id="apt_a")])]
    text = _era([s.replace("REF*6R*apt_a", "REF*6R*APT_A") for s in FIRST_SET])
    report = reconcile(claims, parse_835(text))
    [a] = report.claims
    assert (a.patient_control_number, a.status, a.paid) == ("clm-a", "matched",
                                                            Decimal("100.00"))
    assert a.lines[0].paid == Decimal("100.00")
    assert report.unmatched_payments == []


def test_a_broken_se_count_stays_with_its_own_transaction_set() -> None:
    """The first set's wrong SE01 was pinned on the second set too, flagging a good
    remittance as broken."""
    text = _era(FIRST_SET, SECOND_SET).replace("SE*17*0001", "SE*16*0001")
    one, two = parse_835(text)
    assert one.format_problems == ["SE01 says 16 segments for ST02 0001, counted 17"]
    assert two.format_problems == []


def test_an_unknown_segment_is_a_format_problem() -> None:
    """A segment that is no 835 segment (pyx12: 'Segment ZZZ*FOO not found') was skipped
    in silence."""
    first = [*FIRST_SET[:2], "ZZZ*FOO", *FIRST_SET[2:]]
    text = _era(first, SECOND_SET)
    assert not pyx12_check(text).ok
    one, two = parse_835(text)
    assert one.format_problems == ["ZZZ is not an 835 segment (segment 5); it was ignored"]
    assert two.format_problems == []
    # A lower-case tag hides a date the same way.
    [lower] = parse_835(_era([s.replace("DTM*405", "dtm*405") for s in FIRST_SET]))
    assert lower.production_date is None
    assert lower.format_problems == ["dtm is not an 835 segment (segment 5); it was ignored"]


@pytest.mark.parametrize("padding", ["\x1a", "\x00" * 40, "  \r\n\x00"])
def test_transfer_padding_after_the_last_iea_is_read_past(padding: str) -> None:
    """A DOS end-of-file mark or NUL fill after IEA (pyx12 reads past them) was refused as
    'segment 0: not an X12 interchange: it must start with a 106-character ISA'."""
    text = _era(FIRST_SET, SECOND_SET) + padding
    assert pyx12_check(text).ok
    assert [r.trace_number for r in parse_835(text)] == ["EFT1", "EFT2"]


def test_other_text_after_the_last_iea_is_named_where_it_is() -> None:
    text = _era(FIRST_SET)
    segments = text.count("~")
    with pytest.raises(X12Error) as caught:
        parse_835(text + "GARBAGE")
    assert caught.value.segment_index == segments
    assert "text after the IEA of interchange 1 is not another interchange: 'GARBAGE'" in str(
        caught.value)


def test_a_truncated_file_names_the_segment_where_it_stops() -> None:
    text = _era(FIRST_SET, SECOND_SET)
    cut = text.index("CLP*CLM-B") + len("CLP*CLM-B*1*")
    with pytest.raises(X12Error, match=r"segment \d+: text after the last segment "
                                       r"terminator: 'CLP\*CLM-B\*1\*'"):
        parse_835(text[:cut])
    at_boundary = text[:text.index("CLP*CLM-B")]
    with pytest.raises(X12Error, match="interchange ends without IEA") as caught:
        parse_835(at_boundary)
    assert caught.value.segment_index == at_boundary.count("~")


def test_a_byte_order_mark_is_refused_saying_so() -> None:
    with pytest.raises(X12Error, match="byte-order mark"):
        parse_835("\ufeff" + _era(FIRST_SET))
