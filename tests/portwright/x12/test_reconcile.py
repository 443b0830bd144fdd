"""Reconciliation of an ERA with the claims that were sent: matched, partially paid,
denied, unmatched, with the adjustment reasons."""

from __future__ import annotations

from decimal import Decimal

from portwright.testing.claims import make_claim, make_line
from portwright.testing.x12_oracle import pyx12_check
from portwright.x12.parse835 import parse_835
from portwright.x12.reconcile import reconcile

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
