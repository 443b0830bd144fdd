"""Everything a claim must satisfy before it may become an 837P, checked up front.

pyx12 checks structure and a few code lists; payers check the rest days later. These rules
catch what costs money when it slips through: NPI check digits, billable ICD-10-CM
codes, CPT/modifier/POS tables, diagnosis pointers, the claim total, dates. Each rule is a
small function in ``CLAIM_RULES`` returning ``FieldProblem``s with camelCase paths (the
names callers sent), so a caller sees every problem of every claim at once.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from pydantic.alias_generators import to_camel

from portwright.codes import (
    code_combination_problems,
    is_billable_icd10,
    is_valid_cpt,
    is_valid_npi,
    is_valid_pos,
    modifier_problems,
)
from portwright.entities.claim import Claim, ClaimAddress
from portwright.exceptions import ClaimValidationError, FieldProblem
from portwright.x12.delimiters import Delimiters
from portwright.x12.element_numbers import amount, quantity
from portwright.x12.element_text import (
    length_problems,
    reserved_pattern,
    separator_problems,
    submitter_problems,
    text_problems,
)

__all__ = [
    "CLAIM_RULES",
    "ClaimContext",
    "claim_problems",
    "reserved_pattern",
    "submitter_problems",
    "text_problems",
    "validate_claims",
]

_TAXONOMY = re.compile(r"^[0-9]{3}[0-9A-Z]{6}X$")
_STATE = re.compile(r"^[A-Z]{2}$")
_ZIP = re.compile(r"^\d{5}(\d{4})?$")
#: SBR09 claim filing indicator codes (005010X222A1).
_FILING_CODES = frozenset({
    "11", "12", "13", "14", "15", "16", "17", "AM", "BL", "CH", "CI", "DS", "FI", "HM",
    "LM", "MA", "MB", "MC", "OF", "TV", "VA", "WC", "ZZ",
})
_MAX_LINES = 50
_MAX_DIAGNOSES = 12
_MAX_POINTERS = 4
#: The longest amount (CLM02, SV102) and quantity (SV104) as written, decimal point
#: included, that pyx12 accepts.
_MAX_AMOUNT, _MAX_QUANTITY = 18, 15


@dataclass(frozen=True)
class ClaimContext:
    """What rules need besides the claim: today's date and the separators in use.

    ``check_text`` false skips the separator/ASCII rule: the 837P assembler screens the
    text it actually writes instead (cheaper) and asks ``text_problems`` for field paths
    only when that screen finds something.
    """

    today: date
    delimiters: Delimiters = field(default_factory=Delimiters)
    check_text: bool = True


Rule = Callable[[Claim, ClaimContext], Iterator[FieldProblem]]


def _p(field: str, message: str) -> FieldProblem:
    return FieldProblem(field, message)


def _billing_provider(claim: Claim, ctx: ClaimContext) -> Iterator[FieldProblem]:
    bp = claim.billing_provider
    if not is_valid_npi(bp.npi):
        yield _p("billingProvider.npi", f"{bp.npi!r} is not a valid NPI (10 digits, "
                 "starting with 1 or 2, Luhn check digit)")
    if not bp.name:
        yield _p("billingProvider.name", "required")
    if bp.tax_id is None:
        yield _p("billingProvider.taxId", "required for the 837P (REF*EI)")
    elif not re.fullmatch(r"\d{9}", bp.tax_id.replace("-", "")):
        yield _p("billingProvider.taxId", "must be a 9-digit EIN")
    if bp.taxonomy_code is not None and not _TAXONOMY.match(bp.taxonomy_code):
        yield _p("billingProvider.taxonomyCode",
                 f"{bp.taxonomy_code!r} is not a provider taxonomy code (e.g. 103T00000X)")
    if bp.billing_address is None:
        yield _p("billingProvider.billingAddress", "required for the 837P (loop 2010AA)")
    else:
        yield from _address("billingProvider.billingAddress", bp.billing_address,
                            nine_digit_zip=True)


def _address(path: str, address: ClaimAddress, *, nine_digit_zip: bool = False
             ) -> Iterator[FieldProblem]:
    if not _STATE.match(address.region):
        yield _p(f"{path}.region", f"{address.region!r} is not a two-letter state code")
    zip_code = address.postal_code.replace("-", "")
    if not _ZIP.match(zip_code):
        yield _p(f"{path}.postalCode", f"{address.postal_code!r} is not a ZIP code")
    elif nine_digit_zip and len(zip_code) != 9:
        yield _p(f"{path}.postalCode", "the billing provider needs the full ZIP+4")


def _rendering_provider(claim: Claim, ctx: ClaimContext) -> Iterator[FieldProblem]:
    rp = claim.rendering_provider
    if rp is not None:
        if not is_valid_npi(rp.npi):
            yield _p("renderingProvider.npi", f"{rp.npi!r} is not a valid NPI")
        if not rp.last_name:
            yield _p("renderingProvider.lastName", "required for the 837P (NM1*82)")
        if rp.taxonomy_code is not None and not _TAXONOMY.match(rp.taxonomy_code):
            yield _p("renderingProvider.taxonomyCode",
                     f"{rp.taxonomy_code!r} is not a provider taxonomy code")
    for i, line in enumerate(claim.service_lines):
        wanted = line.rendering_provider_id
        if wanted is None:
            continue
        if rp is None:
            yield _p(f"serviceLines[{i}].renderingProviderId",
                     "names a rendering provider but the claim has no renderingProvider")
        elif rp.provider_id is not None and rp.provider_id != wanted:
            yield _p(f"serviceLines[{i}].renderingProviderId",
                     f"{wanted!r} differs from renderingProvider.providerId "
                     f"{rp.provider_id!r}; bill one rendering provider per claim")


def _people(claim: Claim, ctx: ClaimContext) -> Iterator[FieldProblem]:
    pt = claim.patient
    is_self = pt.relationship_to_subscriber == "18"
    required = ("first_name", "last_name", "dob", "sex", "address")
    for name in required:
        if not getattr(pt, name):  # None, or a name that was only blanks
            yield _p(f"patient.{to_camel(name)}", "required for the 837P")
    if pt.dob is not None and pt.dob > ctx.today:
        yield _p("patient.dob", "is in the future")
    if pt.address is not None:
        yield from _address("patient.address", pt.address)
    if is_self:
        if not pt.member_id:
            yield _p("patient.memberId", "required (the patient is the subscriber)")
        if pt.subscriber is not None:
            yield _p("patient.subscriber",
                     "given, but relationshipToSubscriber is 18 (self)")
    else:
        sub = pt.subscriber
        if sub is None:
            yield _p("patient.subscriber",
                     f"required when relationshipToSubscriber is {pt.relationship_to_subscriber}")
        else:
            for name in ("member_id", "first_name", "last_name"):
                if not getattr(sub, name):
                    yield _p(f"patient.subscriber.{to_camel(name)}", "required for the 837P")
            if sub.address is not None:
                yield from _address("patient.subscriber.address", sub.address)


def _payer(claim: Claim, ctx: ClaimContext) -> Iterator[FieldProblem]:
    if not claim.payer_id:
        yield _p("payerId", "required")
    if claim.claim_filing_code not in _FILING_CODES:
        yield _p("claimFilingCode", f"{claim.claim_filing_code!r} is not a claim filing "
                 "indicator code (e.g. CI commercial, MB Medicare Part B, MC Medicaid)")
    if claim.payer is None or not claim.payer.name:
        yield _p("payer.name", "required for the 837P (loop 2010BB)")
    elif claim.payer.address is not None:
        yield from _address("payer.address", claim.payer.address)


def _identity(claim: Claim, ctx: ClaimContext) -> Iterator[FieldProblem]:
    number = claim.control_number()
    if not number:
        yield _p("patientControlNumber", "required (or claimId / referenceId)")
    elif len(number) > 38:
        yield _p("patientControlNumber", "at most 38 characters (CLM01)")
    if claim.frequency_code in ("7", "8") and not claim.original_claim_number:
        kind = "replacement" if claim.frequency_code == "7" else "void"
        yield _p("originalClaimNumber", f"required for a {kind} (frequency "
                 f"{claim.frequency_code}): the payer's claim number being {kind}d")
    if claim.frequency_code == "1" and claim.original_claim_number:
        yield _p("originalClaimNumber", "only allowed for replacement (7) or void (8)")


def _diagnoses(claim: Claim, ctx: ClaimContext) -> Iterator[FieldProblem]:
    codes = claim.diagnosis_codes
    if not codes:
        yield _p("diagnosisCodes", "at least one ICD-10-CM code is required")
    if len(codes) > _MAX_DIAGNOSES:
        yield _p("diagnosisCodes", f"at most {_MAX_DIAGNOSES} codes fit in HI")
    seen: set[str] = set()
    for i, code in enumerate(codes):
        if not is_billable_icd10(code):
            yield _p(f"diagnosisCodes[{i}]",
                     f"{code!r} is not a billable ICD-10-CM code (it must be a leaf code)")
        key = code.replace(".", "").upper()
        if key in seen:
            yield _p(f"diagnosisCodes[{i}]", f"{code!r} is listed twice")
        seen.add(key)


def _lines(claim: Claim, ctx: ClaimContext) -> Iterator[FieldProblem]:
    lines = claim.service_lines
    if not lines:
        yield _p("serviceLines", "at least one service line is required")
    if len(lines) > _MAX_LINES:
        yield _p("serviceLines", f"at most {_MAX_LINES} lines per 837P claim")
    n_dx = len(claim.diagnosis_codes)
    if claim.place_of_service is not None and not is_valid_pos(claim.place_of_service):
        yield _p("placeOfService", f"{claim.place_of_service!r} is not a CMS place of service")
    control_numbers: set[str] = set()
    for i, line in enumerate(lines):
        at = f"serviceLines[{i}]"
        if not is_valid_cpt(line.service_code):
            yield _p(f"{at}.serviceCode", f"{line.service_code!r} is not a CPT/HCPCS code")
        for message in modifier_problems(line.modifiers):
            yield _p(f"{at}.modifiers", message)
        pos = line.place_of_service or claim.place_of_service
        if pos is None:
            yield _p(f"{at}.placeOfService", "required (on the line or the claim)")
        elif not is_valid_pos(pos):
            yield _p(f"{at}.placeOfService", f"{pos!r} is not a CMS place of service")
        if not line.diagnosis_pointers:
            yield _p(f"{at}.diagnosisPointers", "at least one pointer is required")
        if len(line.diagnosis_pointers) > _MAX_POINTERS:
            yield _p(f"{at}.diagnosisPointers", f"at most {_MAX_POINTERS} pointers")
        if len(set(line.diagnosis_pointers)) != len(line.diagnosis_pointers):
            yield _p(f"{at}.diagnosisPointers", "a pointer is repeated")
        for j, ptr in enumerate(line.diagnosis_pointers):
            if not ptr.isdigit() or not 1 <= int(ptr) <= n_dx:
                yield _p(f"{at}.diagnosisPointers[{j}]",
                         f"{ptr!r} does not point at one of the {n_dx} diagnosis codes")
        if line.units <= 0:
            yield _p(f"{at}.units", "must be greater than 0")
        elif len(quantity(line.units)) > _MAX_QUANTITY:
            # 50 minutes / 60 = 0.8333...: pyx12 refuses the whole file ("is too long")
            yield _p(f"{at}.units", f"{quantity(line.units)} does not fit SV104 (at most "
                     f"{_MAX_QUANTITY} characters); round the units as the payer counts them")
        if line.charge_amount <= 0:
            yield _p(f"{at}.chargeAmount", "must be greater than 0")
        # By value: 120.000 (a database's money column) is 120.00, not a third decimal.
        if line.charge_amount.normalize().as_tuple().exponent < -2:  # type: ignore[operator]
            yield _p(f"{at}.chargeAmount", "at most 2 decimals")
        elif len(amount(line.charge_amount)) > _MAX_AMOUNT:
            yield _p(f"{at}.chargeAmount", f"{amount(line.charge_amount)} does not fit "
                     f"SV102 (at most {_MAX_AMOUNT} characters)")
        yield from _line_dates(at, line.service_date, line.service_date_end, claim, ctx)
        ctl = line.control_number()
        if ctl is not None:
            if len(ctl) > 50:
                yield _p(f"{at}.lineControlNumber", "at most 50 characters (REF*6R)")
            if ctl in control_numbers:
                yield _p(f"{at}.lineControlNumber",
                         f"{ctl!r} repeats another line's control number")
            control_numbers.add(ctl)
    by_date: dict[date | None, list[str]] = defaultdict(list)
    for line in lines:
        by_date[line.service_date].append(line.service_code)
    for day, codes in by_date.items():
        for message in code_combination_problems(codes):
            yield _p("serviceLines", f"{day}: {message}" if day else message)


def _line_dates(at: str, start: date | None, end: date | None, claim: Claim,
                ctx: ClaimContext) -> Iterator[FieldProblem]:
    if start is None:
        yield _p(f"{at}.serviceDate", "required (DTP*472)")
        return
    if start > ctx.today:
        yield _p(f"{at}.serviceDate", f"{start} is in the future")
    if end is not None and end < start:
        yield _p(f"{at}.serviceDateEnd", "is before serviceDate")
    dob = claim.patient.dob
    if dob is not None and start < dob:
        yield _p(f"{at}.serviceDate", "is before the patient's date of birth")


def _total(claim: Claim, ctx: ClaimContext) -> Iterator[FieldProblem]:
    total = claim.total_charge()
    if claim.charge_amount is not None and claim.charge_amount != total:
        yield _p("chargeAmount", f"{claim.charge_amount} does not equal the sum of the "
                 f"service lines ({total})")
    elif len(amount(total)) > _MAX_AMOUNT:
        yield _p("chargeAmount", f"the lines add up to {amount(total)}, which does not fit "
                 f"CLM02 (at most {_MAX_AMOUNT} characters)")


def _lengths(claim: Claim, ctx: ClaimContext) -> Iterator[FieldProblem]:
    """Values longer than their X12 element holds (:func:`length_problems`)."""
    yield from length_problems(claim)


def _separators(claim: Claim, ctx: ClaimContext) -> Iterator[FieldProblem]:
    """Text X12 cannot carry, when the context asks (:func:`separator_problems`)."""
    if ctx.check_text:
        yield from separator_problems(claim, ctx.delimiters)


#: Every rule, in the order problems are reported.
CLAIM_RULES: tuple[Rule, ...] = (
    _identity, _billing_provider, _rendering_provider, _payer, _people, _diagnoses,
    _lines, _total, _lengths, _separators,
)


def claim_problems(claim: Claim, ctx: ClaimContext) -> list[FieldProblem]:
    """All problems of one claim (empty when it can be billed)."""
    return [problem for rule in CLAIM_RULES for problem in rule(claim, ctx)]


def validate_claims(claims: Sequence[Claim], ctx: ClaimContext) -> None:
    """Raise ``ClaimValidationError`` listing every problem of every claim (paths are
    prefixed ``claims[i].`` when there is more than one claim)."""
    problems: list[FieldProblem] = []
    numbers: dict[str, int] = {}
    for i, claim in enumerate(claims):
        prefix = f"claims[{i}]." if len(claims) > 1 else ""
        problems.extend(FieldProblem(prefix + p.field, p.message)
                        for p in claim_problems(claim, ctx))
        number = claim.control_number()
        # Unique regardless of letter case: payers may return CLM01 upper-cased in the
        # 835's CLP01, and then 'clm-1' and 'CLM-1' are one claim to reconciliation.
        key = None if number is None else number.upper()
        if key is not None and key in numbers:
            first = numbers[key]
            other = claims[first].control_number()
            problems.append(FieldProblem(
                f"{prefix}patientControlNumber",
                f"{number!r} is also used by claims[{first}]" if other == number else
                f"{number!r} differs from claims[{first}]'s {other!r} only in letter case "
                "(an 835 may return it upper-cased, matching both)"))
        elif key is not None:
            numbers[key] = i
    if not claims:
        problems.append(FieldProblem("claims", "no claims to bill"))
    if problems and not ctx.check_text:
        # The report must be complete even when the text screen was left to the writer.
        for i, claim in enumerate(claims):
            prefix = f"claims[{i}]." if len(claims) > 1 else ""
            problems.extend(text_problems(claim, ctx.delimiters, prefix))
    if problems:
        raise ClaimValidationError(
            f"{len(problems)} problem(s) found; no 837P was written", problems=problems)


