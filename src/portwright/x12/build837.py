"""Assemble 837P interchanges (005010X222A1) from validated ``Claim`` entities.

Validation runs first over every claim; a single problem anywhere means no text at all
(``ClaimValidationError``), so a half-good batch can never reach a clearinghouse. Claims
that share a billing provider go under one 2000A HL; each claim gets its own subscriber
HL (and patient HL for dependents). Large batches are split into several ST transaction
sets of at most ``max_claims_per_transaction`` claims inside one interchange.

Free text (names, ids, addresses) is screened where it is cheapest: in the elements
actually written, claim by claim. A separator, a control character or non-ASCII text
found there is reported with its field path (``claims[3].patient.lastName``), still
before any text is returned. Composite elements are exempt because validation has checked each part
against its table; with ``validate=False`` the caller vouches for them.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import NoReturn

from portwright.entities.claim import BillingProvider, Claim, Submitter
from portwright.exceptions import ClaimValidationError, FieldProblem
from portwright.x12.checked_submitter import CheckedSubmitter, check_submitter
from portwright.x12.delimiters import Delimiters
from portwright.x12.envelope import (
    ControlNumbers,
    CounterControlNumbers,
    EnvelopeConfig,
    check_envelope,
    wrap_interchange,
)
from portwright.x12.loops837 import (
    billing_provider_loop,
    claim_loop,
    header,
    patient_loop,
    service_line_loop,
    subscriber_loop,
)
from portwright.x12.segments import Segment
from portwright.x12.validate_claim import (
    ClaimContext,
    reserved_pattern,
    text_problems,
    validate_claims,
)
from portwright.x12.writer import write_segments

__all__ = ["IMPLEMENTATION_837P", "Build837Result", "build_837p", "build_837p_segments"]

IMPLEMENTATION_837P = "005010X222A1"


@dataclass(frozen=True)
class Build837Result:
    """The EDI text and the control numbers it used (for logs and the submission ledger)."""

    text: str
    interchange_control_number: str
    claim_count: int


def _provider_key(bp: BillingProvider) -> tuple[object, ...]:
    """Claims whose billing providers are equal share one 2000A loop."""
    a = bp.billing_address
    address = (a.line1, a.line2, a.city, a.region, a.postal_code) if a else None
    return (bp.npi, bp.name, bp.taxonomy_code, bp.tax_id, address, bp.contact_name,
            bp.contact_phone)


#: Elements the assembler composes from table-checked parts (POS, CPT, modifiers,
#: pointers, ICD-10 codes): they carry the component separator by design.
_COMPOSITES: dict[str, frozenset[int] | None] = {
    "CLM": frozenset({5}), "SV1": frozenset({1, 7}), "HI": None,
}


def _text_is_clean(segments: list[Segment], reserved: re.Pattern[str]) -> bool:
    """No separator, no control character and nothing outside ASCII in the free-text
    elements of ``segments``."""
    parts: list[str] = []
    for seg in segments:
        skip = _COMPOSITES.get(seg.tag, frozenset())
        if skip is None:
            continue
        if skip:
            parts.extend(e for i, e in enumerate(seg.elements, start=1) if i not in skip)
        else:
            parts.extend(seg.elements)
    text = "".join(parts)
    # ASCII and printable: no control character (a line break or tab inside a name).
    return text.isascii() and text.isprintable() and reserved.search(text) is None


@dataclass
class _Screen:
    """Which inputs put a separator, a control character or non-ASCII text into the file
    (by claim index)."""

    reserved: re.Pattern[str]
    dirty_claims: list[int] = field(default_factory=list)
    dirty_submitter: bool = False


def _transaction(claims: Sequence[Claim], first: int, submitter: CheckedSubmitter, st02: str,
                 now: datetime, component: str, screen: _Screen) -> list[Segment]:
    st = Segment("ST", ["837", st02, IMPLEMENTATION_837P])
    body = header(submitter, st02, now)
    if not _text_is_clean(body, screen.reserved):
        screen.dirty_submitter = True
    groups: dict[tuple[object, ...], list[Claim]] = {}
    keys: dict[int, tuple[object, ...]] = {}  # claims often share one BillingProvider
    for claim in claims:
        bp = claim.billing_provider
        key = keys.get(id(bp))
        if key is None:
            key = keys[id(bp)] = _provider_key(bp)
        groups.setdefault(key, []).append(claim)
    index = {id(claim): first + i for i, claim in enumerate(claims)}
    hl = 0
    for group in groups.values():
        hl += 1
        provider_hl = hl
        segments = billing_provider_loop(provider_hl, group[0].billing_provider)
        for claim in group:
            hl += 1
            subscriber_hl = hl
            segments.extend(subscriber_loop(subscriber_hl, provider_hl, claim))
            if claim.patient.relationship_to_subscriber != "18":
                hl += 1
                segments.extend(patient_loop(hl, subscriber_hl, claim.patient))
            claim_pos = claim.claim_place_of_service()
            segments.extend(claim_loop(claim, claim_pos or "", component))
            for number, line in enumerate(claim.service_lines, start=1):
                segments.extend(service_line_loop(number, line, claim_pos, component))
            if not _text_is_clean(segments, screen.reserved):
                screen.dirty_claims.append(index[id(claim)])
            body.extend(segments)
            segments = []
    se = Segment("SE", [str(len(body) + 2), st02])
    return [st, *body, se]


def build_837p_segments(claims: Sequence[Claim], submitter: Submitter,
                        config: EnvelopeConfig, *, numbers: ControlNumbers | None = None,
                        now: datetime | None = None, validate: bool = True,
                        max_claims_per_transaction: int = 5000) -> list[Segment]:
    """The interchange as segments (validated unless ``validate`` is false; the text screen
    always runs)."""
    moment = now or datetime.now(UTC)
    delimiters = config.delimiters
    # Settings problems join the claims' in one report, before any control number is
    # taken. Settings checked already (a claims file's) come back as they are.
    envelope = check_envelope(config)
    sender = check_submitter(submitter)
    settings = [FieldProblem("envelope." + p.field, p.message)
                for p in envelope] if isinstance(envelope, list) else []
    if isinstance(sender, list):
        settings.extend(sender)
    try:
        if validate:
            validate_claims(claims, ClaimContext(today=moment.date(), delimiters=delimiters,
                                                 check_text=False))
    except ClaimValidationError as exc:
        if not settings:
            raise
        _raise_problems([*settings, *exc.problems])
    if isinstance(envelope, list) or isinstance(sender, list):
        _raise_problems(settings)
    screen = _Screen(reserved_pattern(delimiters))
    transactions = [
        _transaction(claims[i:i + max_claims_per_transaction], i, sender,
                     f"{n:04d}", moment, delimiters.component, screen)
        for n, i in enumerate(range(0, len(claims), max_claims_per_transaction), start=1)
    ]
    if screen.dirty_claims or screen.dirty_submitter:
        _raise_text_problems(claims, submitter, delimiters, screen)
    return wrap_interchange(envelope, "HC", IMPLEMENTATION_837P, transactions,
                            numbers or CounterControlNumbers(), moment)


def _raise_problems(problems: list[FieldProblem]) -> NoReturn:
    raise ClaimValidationError(f"{len(problems)} problem(s) found; no 837P was written",
                               problems=problems)


def _raise_text_problems(claims: Sequence[Claim], submitter: Submitter,
                         delimiters: Delimiters, screen: _Screen) -> None:
    problems = text_problems(submitter, delimiters, "submitter.") if screen.dirty_submitter \
        else []
    for i in screen.dirty_claims:
        prefix = f"claims[{i}]." if len(claims) > 1 else ""
        problems.extend(text_problems(claims[i], delimiters, prefix))
    raise ClaimValidationError(f"{len(problems)} problem(s) found; no 837P was written",
                               problems=problems)


def build_837p(claims: Sequence[Claim], submitter: Submitter, config: EnvelopeConfig, *,
               numbers: ControlNumbers | None = None, now: datetime | None = None,
               max_claims_per_transaction: int = 5000) -> Build837Result:
    """Validate ``claims`` and return one 837P interchange as text."""
    with _gc_paused():
        segments = build_837p_segments(claims, submitter, config, numbers=numbers, now=now,
                                       max_claims_per_transaction=max_claims_per_transaction)
        text = write_segments(segments, config.delimiters,
                              line_break=_line_break(config))
    return Build837Result(text, segments[0].get(13), len(claims))


def _line_break(config: EnvelopeConfig) -> str:
    """What follows each terminator: nothing when the terminator is itself a line break
    (a partner's ``\\n``): a second one left an empty line between segments, which pyx12
    and clearinghouses read as a segment without a tag."""
    return "" if config.delimiters.segment in "\r\n" else config.line_break


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Assembly allocates hundreds of thousands of short-lived, acyclic objects; letting
    the cyclic collector rescan every live claim model during that makes large batches
    superlinear. Reference counting still frees everything."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
