"""Reconciliation of an ERA with the claims that were sent: matched, partially paid,
denied, unmatched, with the adjustment reasons."""

from __future__ import annotations

from decimal import Decimal

from portwright.testing.claims import make_claim, make_line
from portwright.testing.x12_oracle import pyx12_check
from portwright.x12.parse835 import parse_835
from portwright.x12.reconcile import ClaimReconciliation, ReconciliationReport, reconcile

# A hand-written ERA for four claims of make_claim() plus one this practice never sent.
ERA = "\n".join([
    "ISA*00*          *00*          *ZZ*REGENCE01      *ZZ*CASC01         "
    "*260210*0800*^*00501*000000077*0*T*:~",
    "GS*HP*REGENCE01*CASC01*20260210*0800*77*X*005010X221A1~",
    "ST*835*0001~",
    "BPR*I*397.20*C*ACH*CCP*01*123456789*DA*987654321*1234567890**01*111000025*DA*55555*20260212~",
    "TRN*1*EFT0099887*1234567890~",
    "DTM*405*20260210~",
    "N1*PR*REGENCE BLUESHIELD~",
    "N3*PO BOX 1000~",
    "N4*SEATTLE*WA*98111~",
    "PER*BL*EDI SUPPORT*TE*8005550100~",
    "N1*PE*CASCADIA BEHAVIORAL HEALTH*XX*1234567893~",
    "LX*1~",
    "CLP*CLM-A*1*120.00*120.00**12*PAYERA1~",
    "NM1*QC*1*NGUYEN*AVERY****MI*RGN1234567~",
    "SVC*HC:90834*120.00*120.00**1~",
    "DTM*472*20260125~",
    "REF*6R*apt_a~",
    "CLP*CLM-B*1*200.00*130.00*20.00*12*PAYERB1~",
    "NM1*QC*1*NGUYEN*AVERY****MI*RGN1234567~",
    "SVC*HC:90837*200.00*130.00**1~",
    "DTM*472*20260125~",
    "CAS*CO*45*50.00~",
    "CAS*PR*3*20.00~",
    "REF*6R*apt_b~",
    "CLP*CLM-C*4*120.00*0**12*PAYERC1~",
    "CAS*CO*197*120.00~",
    "NM1*QC*1*NGUYEN*AVERY****MI*RGN1234567~",
    "CLP*CLM-E*1*135.00*97.20**12*PAYERE1~",
    "NM1*QC*1*NGUYEN*AVERY****MI*RGN1234567~",
    "SVC*HC:90834*135.00*97.20**1~",
    "DTM*472*20260125~",
    "CAS*CO*45*37.80~",
    "CLP*SOMEONE-ELSE*1*50.00*50.00**12*PAYERX1~",
    "NM1*QC*1*DOE*JO****MI*X1~",
    "SE*33*0001~",
    "GE*1*77~",
    "IEA*1*000000077~",
]) + "\n"


def _claims() -> list:  # type: ignore[type-arg]
    return [
        make_claim("CLM-A", service_lines=[make_line(appointment_id="apt_a")]),
        make_claim("CLM-B", service_lines=[make_line(appointment_id="apt_b",
                                                     service_code="90837",
                                                     charge_amount=Decimal(200))]),
        make_claim("CLM-C"),
        make_claim("CLM-D"),
        make_claim("CLM-E", service_lines=[make_line(charge_amount=Decimal(135))]),
    ]


def test_the_hand_written_era_is_a_valid_835() -> None:
    verdict = pyx12_check(ERA)
    assert verdict.ok, verdict.errors
    [remit] = parse_835(ERA)
    assert remit.balanced, remit.balance_problems
    assert remit.format_problems == []


def test_statuses_amounts_and_reasons() -> None:
    report = reconcile(_claims(), parse_835(ERA))
    status = {c.patient_control_number: c for c in report.claims}
    assert status["CLM-A"].status == "matched"
    assert status["CLM-A"].paid == Decimal(120)
    assert status["CLM-A"].lines[0].paid == Decimal(120)
    b = status["CLM-B"]
    assert b.status == "partially_paid"
    assert (b.paid, b.patient_responsibility) == (Decimal(130), Decimal(20))
    assert [(a.group_code, a.reason_code) for a in b.adjustments] == [("CO", "45"), ("PR", "3")]
    assert b.reasons[0].startswith("CO-45 charge exceeds fee schedule")
    assert b.lines[0].line_control_number == "apt_b" and b.lines[0].paid == Decimal(130)
    assert b.payer_claim_control_number == "PAYERB1"
    assert b.remittance_trace_numbers == ["EFT0099887"]
    c = status["CLM-C"]
    assert c.status == "denied" and c.paid == 0
    assert c.reasons == ["CO-197 precertification/authorization/notification absent "
                         "(contractual obligation)"]
    assert status["CLM-D"].status == "unmatched"
    e = status["CLM-E"]  # paid per contract: the rest is a CO write-off, nothing to collect
    assert (e.status, e.paid, e.patient_responsibility) == ("matched", Decimal("97.20"), 0)
    assert e.lines[0].paid == Decimal("97.20")  # matched on code and date (no REF*6R)
    assert [p.patient_control_number for p in report.unmatched_payments] == ["SOMEONE-ELSE"]
    assert report.unbalanced_remittances == []
    assert [c.patient_control_number for c in report.by_status("denied")] == ["CLM-C"]


def test_unbalanced_remittance_is_reported() -> None:
    remits = parse_835(ERA.replace("BPR*I*397.20", "BPR*I*310.00"))
    report = reconcile(_claims(), remits)
    assert any("EFT0099887" in u and "BPR02" in u for u in report.unbalanced_remittances)


def test_charge_mismatch_is_noted() -> None:
    claims = _claims()
    claims[0] = make_claim("CLM-A", service_lines=[make_line(appointment_id="apt_a",
                                                             charge_amount=Decimal(125))])
    report = reconcile(claims, parse_835(ERA))
    a = report.claims[0]
    assert a.status == "partially_paid"
    assert "payer shows 120.00 charged, the claim billed 125" in a.notes[0]


def test_reversal_is_reported_as_reversed() -> None:
    from portwright.entities.remittance import Adjustment, Payment, Remittance, RemittanceParty

    reversal = Payment(patient_control_number="CLM-A", status_code="22", status="reversal",
                       charge_amount=Decimal("-120"), paid_amount=Decimal("-120"),
                       adjustments=[Adjustment(group_code="CR", reason_code="A2",
                                               amount=Decimal(0))])
    original = parse_835(ERA)[0]
    take_back = Remittance(trace_number="EFT-REV", handling_code="I",
                           payment_amount=Decimal("-120"), payer=RemittanceParty(name="R"),
                           payee=RemittanceParty(name="C"), payments=[reversal])
    report = reconcile(_claims()[:1], [original, take_back])
    [a] = report.claims
    assert a.status == "reversed" and a.paid == 0
    assert a.remittance_trace_numbers == ["EFT-REV", "EFT0099887"]


def _by_number(report: ReconciliationReport) -> dict[str, ClaimReconciliation]:
    return {c.patient_control_number: c for c in report.claims}


def test_the_same_remittance_twice_is_counted_once_and_listed() -> None:
    """Two copies of one ERA (one file downloaded twice, or two identical transaction
    sets) were counted as two payments: CLM-A "matched" with 240 paid on 120 billed."""
    second_st = "ST*835*0002~\n" + ERA.split("ST*835*0001~\n", 1)[1].split("GE*", 1)[
        0].replace("SE*33*0001~", "SE*33*0002~")
    two_sets = ERA.replace("GE*1*77~", second_st + "GE*2*77~")
    for text in (ERA + ERA, two_sets):
        remittances = parse_835(text)
        assert len(remittances) == 2
        report = reconcile(_claims(), remittances)
        status = _by_number(report)
        assert (status["CLM-A"].status, status["CLM-A"].paid) == ("matched", Decimal(120))
        assert status["CLM-B"].paid == Decimal(130)
        assert [p.patient_control_number for p in report.unmatched_payments] == [
            "SOMEONE-ELSE"]
        assert report.repeated_remittances == [
            "remittance 2 repeats remittance 1 (payer REGENCE BLUESHIELD, trace number "
            "EFT0099887): the same payment, counted once"]


def test_a_trace_number_reused_with_other_content_is_flagged_and_never_matched() -> None:
    """The same payment number with different amounts cannot both be right: both are
    kept, the repeat is listed, and a claim paid more than it billed is overpaid."""
    altered = ERA.replace("CLP*CLM-A*1*120.00*120.00", "CLP*CLM-A*1*120.00*100.00").replace(
        "SVC*HC:90834*120.00*120.00**1~", "SVC*HC:90834*120.00*100.00**1~\nCAS*CO*45*20.00~"
    ).replace("BPR*I*397.20", "BPR*I*377.20").replace("SE*33*", "SE*34*")
    remittances = parse_835(ERA + altered)
    assert all(r.balanced for r in remittances), [r.balance_problems for r in remittances]
    report = reconcile(_claims(), remittances)
    assert "with different content" in report.repeated_remittances[0]
    a = _by_number(report)["CLM-A"]
    assert (a.status, a.paid) == ("overpaid", Decimal(220))
    assert "paid 220.00 in 2 payment(s) for a charge of 120.00: more than was billed" in a.notes
    assert not any(c.status == "matched" and c.paid > c.charged for c in report.claims)
