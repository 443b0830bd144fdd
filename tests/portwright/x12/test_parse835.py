"""835 parsing against the hand-checked totals in the reference README."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from portwright.exceptions import X12Error
from portwright.x12.parse835 import parse_835

SAMPLES = Path("/work/shared/reference/x12")


def _read(name: str) -> str:
    return (SAMPLES / name).read_text()


def test_emedny_sample() -> None:
    [remit] = parse_835(_read("835_emedny_sample.x12"))
    assert remit.payment_amount == Decimal("45.75")
    assert remit.handling_code == "I" and remit.payment_method == "ACH"
    assert remit.payment_date == date(2010, 1, 1)
    assert remit.trace_number == "10100000000"
    assert remit.payer.name == "NYSDOH"
    assert remit.payee.identifier == "9999999995"
    assert [p.paid_amount for p in remit.payments] == [
        Decimal("34.25"), Decimal("0"), Decimal("11.5")]
    assert [p.status_code for p in remit.payments] == ["1", "2", "2"]
    assert [len(p.service_lines) for p in remit.payments] == [4, 2, 4]
    first = remit.payments[0].service_lines[0]
    assert (first.procedure_code, first.modifiers, first.charge_amount) == (
        "V2020", ["RB"], Decimal("6"))
    third = remit.payments[2]
    assert [(a.group_code, a.reason_code, a.amount) for a in third.all_adjustments()] == [
        ("CO", "251", Decimal("2.75")), ("CO", "251", Decimal("20"))]
    assert third.service_lines[2].remark_codes == ["N206"]
    assert remit.payments[0].member_id == "LL99999L"
    assert remit.balanced and remit.format_problems == []


def test_managed_care_sample_balances_but_is_flagged_invalid() -> None:
    [remit] = parse_835(_read("835_lfh_managed_care_INVALID.x12"))
    assert remit.payment_amount == Decimal("945.00")
    clp1, clp2 = remit.payments
    assert clp1.charge_amount - clp1.paid_amount == Decimal(350)
    assert sorted((a.group_code, a.reason_code, a.amount) for a in clp1.all_adjustments()) == [
        ("CO", "A2", Decimal(50)), ("PR", "1", Decimal(300))]
    assert sum(a.amount for a in clp2.all_adjustments()) == Decimal(705)
    assert clp2.adjustments[0].reason_code == "A2"  # claim level
    assert [a.reason_code for a in clp2.service_lines[0].adjustments] == ["1", "45"]
    assert remit.balanced
    assert any("BPR16" in p and "20002316" in p for p in remit.format_problems)
    assert any("PER*BL" in p for p in remit.format_problems)


def test_denied_notification_only_sample() -> None:
    [remit] = parse_835(_read("835_pyx12_mult_loops.x12"))
    assert remit.handling_code == "H" and remit.payment_amount == 0
    [payment] = remit.payments
    assert payment.status == "denied"
    assert payment.charge_amount == Decimal("915.39")
    assert [line.units for line in payment.service_lines] == [68, 16, 36]
    assert sum(a.amount for a in payment.all_adjustments()) == Decimal("915.39")
    assert remit.balanced


@pytest.mark.parametrize(
    ("old", "new", "flag"),
    [("CLP*5554555444*1*800.00*450.00", "CLP*5554555444*1*800.00*460.00", "BPR02 total"),
     ("CAS*PR*1*300.00", "CAS*PR*1*310.00", "line 1 (99211)"),
     ("BPR*I*945.00", "BPR*I*950.00", "BPR02 total 950.00")],
)
def test_tampered_remittance_does_not_balance(old: str, new: str, flag: str) -> None:
    text = _read("835_lfh_managed_care_INVALID.x12")
    assert old in text
    [remit] = parse_835(text.replace(old, new))
    assert not remit.balanced
    assert any(flag in p for p in remit.balance_problems), remit.balance_problems


def test_plb_reduces_the_total() -> None:
    text = _read("835_emedny_sample.x12")
    text = text.replace("BPR*I*45.75", "BPR*I*40.75").replace(
        "SE*65*1740", "PLB*9999999995*20101231*WO:ABC123*5~SE*66*1740")
    [remit] = parse_835(text)
    assert [(a.reason_code, a.reference, a.amount) for a in remit.provider_adjustments] == [
        ("WO", "ABC123", Decimal(5))]
    assert remit.balanced, remit.balance_problems


def test_an_837_is_not_an_835() -> None:
    with pytest.raises(X12Error, match="not an 835"):
        parse_835(_read("837p_lfh_example1_X222A1.x12"))


@pytest.mark.parametrize("text", ["", "\n  \n"])
def test_an_empty_file_is_no_remittance(text: str) -> None:
    """An empty download once parsed as "no remittances": nothing to post, exit 0."""
    with pytest.raises(X12Error, match=r"no 835 transaction sets in it \(it is empty\)"):
        parse_835(text)


def test_envelopes_without_a_transaction_set_are_no_remittance() -> None:
    text = _read("835_emedny_sample.x12")
    start, end = text.index("ST*835"), text.index("GE*")
    envelopes = text[:start] + text[end:].replace("GE*1*", "GE*0*")
    with pytest.raises(X12Error, match=r"no 835 transaction sets in it \(envelopes without"):
        parse_835(envelopes)


def test_the_same_835_twice_in_one_file_says_so() -> None:
    text = _read("835_emedny_sample.x12")
    first, second = parse_835(text + text)
    assert first.format_problems == []
    assert second.format_problems == [
        "remittance 2 repeats remittance 1 (payer NYSDOH, trace number 10100000000): the "
        "same payment, counted once"]


def test_a_debit_remittance_balances_against_the_negative_total() -> None:
    # BPR03 D: recoupments (PLB) exceed the claim payments and the payer takes money
    # back. BPR02 stays positive; the total it stands for is negative.
    text = _read("835_emedny_sample.x12")
    text = text.replace("BPR*I*45.75*C", "BPR*I*4.25*D").replace(
        "SE*65*1740", "PLB*9999999995*20101231*WO:ABC123*50~SE*66*1740")
    [remit] = parse_835(text)
    assert remit.credit_debit == "D"
    assert remit.balanced, remit.balance_problems
    # The same figure as a credit does not balance: 45.75 - 50 is -4.25, not 4.25.
    [credit] = parse_835(text.replace("BPR*I*4.25*D", "BPR*I*4.25*C"))
    assert not credit.balanced
    # ... and a debit of the wrong amount does not either.
    [wrong] = parse_835(text.replace("BPR*I*4.25*D", "BPR*I*5.25*D"))
    assert any("BPR02 total 5.25 (debit)" in p for p in wrong.balance_problems)
