"""The loops of an 837P (005010X222A1), one function each, in transaction order.

Each function returns the segments of its loop for one entity, so the assembler in
``build837`` reads like the implementation guide's table of contents.
"""

from __future__ import annotations

from datetime import date, datetime

from portwright.codes import icd10_for_x12
from portwright.entities.claim import (
    BillingProvider,
    Claim,
    ClaimAddress,
    ClaimPatient,
    RenderingProvider,
    ServiceLine,
    Subscriber,
)
from portwright.x12.checked_submitter import CheckedSubmitter
from portwright.x12.element_numbers import amount, quantity
from portwright.x12.segments import Segment

__all__ = [
    "billing_provider_loop",
    "claim_loop",
    "header",
    "patient_loop",
    "service_line_loop",
    "subscriber_loop",
]

_SEX = {"male": "M", "female": "F", "unknown": "U", "M": "M", "F": "F", "U": "U"}

S = Segment.of


def d8(day: date) -> str:
    """CCYYMMDD (formatted by hand: strftime is several times slower)."""
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _address(address: ClaimAddress) -> list[Segment]:
    return [
        S("N3", address.line1, address.line2 or ""),
        S("N4", address.city, address.region, address.postal_code.replace("-", "")),
    ]


def header(submitter: CheckedSubmitter, reference: str, now: datetime) -> list[Segment]:
    """BHT, 1000A submitter, 1000B receiver (settings ``check_submitter`` passed)."""
    return [
        S("BHT", "0019", "00", reference, now.strftime("%Y%m%d"), now.strftime("%H%M"), "CH"),
        S("NM1", "41", "2", submitter.name, "", "", "", "", "46", submitter.submitter_id),
        S("PER", "IC", submitter.contact_name, "TE", submitter.contact_phone),
        S("NM1", "40", "2", submitter.receiver_name, "", "", "", "", "46",
          submitter.receiver_id),
    ]


def billing_provider_loop(hl: int, bp: BillingProvider) -> list[Segment]:
    """2000A (HL 20) and 2010AA."""
    out = [S("HL", str(hl), "", "20", "1")]
    if bp.taxonomy_code:
        out.append(S("PRV", "BI", "PXC", bp.taxonomy_code))
    out.append(S("NM1", "85", "2", bp.name, "", "", "", "", "XX", bp.npi))
    if bp.billing_address is not None:
        out.extend(_address(bp.billing_address))
    if bp.tax_id:
        out.append(S("REF", "EI", bp.tax_id.replace("-", "")))
    if bp.contact_name and bp.contact_phone:
        out.append(S("PER", "IC", bp.contact_name, "TE", bp.contact_phone))
    return out


def _person(code: str, last: str, first: str, qualifier: str = "", ident: str = ""
            ) -> Segment:
    return S("NM1", code, "1", last, first, "", "", "", qualifier, ident)


def subscriber_loop(hl: int, parent: int, claim: Claim) -> list[Segment]:
    """2000B (HL 22, SBR), 2010BA subscriber, 2010BB payer."""
    pt = claim.patient
    is_self = pt.relationship_to_subscriber == "18"
    out = [
        S("HL", str(hl), str(parent), "22", "0" if is_self else "1"),
        S("SBR", "P", "18" if is_self else "", pt.group_number or "", "", "", "", "", "",
          claim.claim_filing_code),
    ]
    if is_self:
        out.extend(_insured_self(pt))
    else:
        assert pt.subscriber is not None  # guaranteed by validation
        out.extend(_insured_other(pt.subscriber))
    payer = claim.payer
    out.append(S("NM1", "PR", "2", payer.name if payer else claim.payer_id, "", "", "", "",
                 "PI", claim.payer_id))
    if payer is not None and payer.address is not None:
        out.extend(_address(payer.address))
    return out


def _insured_self(pt: ClaimPatient) -> list[Segment]:
    out = [_person("IL", pt.last_name or "", pt.first_name or "", "MI", pt.member_id or "")]
    if pt.address is not None:
        out.extend(_address(pt.address))
    if pt.dob is not None:
        out.append(S("DMG", "D8", d8(pt.dob), _SEX.get(pt.sex or "U", "U")))
    return out


def _insured_other(sub: Subscriber) -> list[Segment]:
    out = [_person("IL", sub.last_name, sub.first_name, "MI", sub.member_id)]
    if sub.address is not None:
        out.extend(_address(sub.address))
    if sub.dob is not None:
        out.append(S("DMG", "D8", d8(sub.dob), _SEX.get(sub.sex or "U", "U")))
    return out


def patient_loop(hl: int, parent: int, pt: ClaimPatient) -> list[Segment]:
    """2000C (HL 23, PAT) and 2010CA, only when the patient is not the subscriber."""
    out = [
        S("HL", str(hl), str(parent), "23", "0"),
        S("PAT", pt.relationship_to_subscriber),
        _person("QC", pt.last_name or "", pt.first_name or ""),
    ]
    if pt.address is not None:
        out.extend(_address(pt.address))
    if pt.dob is not None:
        out.append(S("DMG", "D8", d8(pt.dob), _SEX.get(pt.sex or "U", "U")))
    return out


def claim_loop(claim: Claim, pos: str, component: str) -> list[Segment]:
    """2300 (CLM, REF, HI) and 2310B rendering provider; ``pos`` is CLM05-1."""
    out = [
        S("CLM", claim.control_number() or "", amount(claim.total_charge()), "", "",
          component.join((pos, "B", claim.frequency_code)), "Y", "A", "Y", "Y"),
    ]
    if claim.prior_authorization:
        out.append(S("REF", "G1", claim.prior_authorization))
    if claim.original_claim_number:
        out.append(S("REF", "F8", claim.original_claim_number))
    hi = [
        component.join(("ABK" if i == 0 else "ABF", icd10_for_x12(code)))
        for i, code in enumerate(claim.diagnosis_codes)
    ]
    out.append(S("HI", *hi))
    if claim.rendering_provider is not None:
        out.extend(rendering_provider_loop(claim.rendering_provider))
    return out


def rendering_provider_loop(rp: RenderingProvider) -> list[Segment]:
    """2310B: NM1*82 (person) and its taxonomy."""
    out = [_person("82", rp.last_name, rp.first_name, "XX", rp.npi)]
    if rp.taxonomy_code:
        out.append(S("PRV", "PE", "PXC", rp.taxonomy_code))
    return out


def service_line_loop(number: int, line: ServiceLine, claim_pos: str | None,
                      component: str) -> list[Segment]:
    """2400: LX, SV1, DTP*472 and the line control number REF*6R."""
    procedure = component.join(["HC", line.service_code, *line.modifiers])
    pos = line.place_of_service if line.place_of_service != claim_pos else ""
    pointers = component.join(line.diagnosis_pointers)
    out = [
        S("LX", str(number)),
        S("SV1", procedure, amount(line.charge_amount), "UN", quantity(line.units),
          pos or "", "", pointers),
    ]
    assert line.service_date is not None  # guaranteed by validation
    if line.service_date_end is not None and line.service_date_end != line.service_date:
        out.append(S("DTP", "472", "RD8",
                     f"{d8(line.service_date)}-{d8(line.service_date_end)}"))
    else:
        out.append(S("DTP", "472", "D8", d8(line.service_date)))
    control = line.control_number()
    if control:
        out.append(S("REF", "6R", control))
    return out
