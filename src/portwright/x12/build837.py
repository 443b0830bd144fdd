"""Assemble 837P interchanges (005010X222A1) from validated ``Claim`` entities.

Validation runs first over every claim; a single problem anywhere means no text at all
(``ClaimValidationError``), so a half-good batch can never reach a clearinghouse. Claims
that share a billing provider go under one 2000A HL; each claim gets its own subscriber
HL (and patient HL for dependents). Large batches are split into several ST transaction
sets of at most ``max_claims_per_transaction`` claims inside one interchange.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from portwright.entities.claim import BillingProvider, Claim, Submitter
from portwright.x12.envelope import (
    ControlNumbers,
    CounterControlNumbers,
    EnvelopeConfig,
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
from portwright.x12.validate_claim import ClaimContext, validate_claims
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


def _transaction(claims: Sequence[Claim], submitter: Submitter, st02: str, now: datetime,
                 component: str) -> list[Segment]:
    st = Segment("ST", ["837", st02, IMPLEMENTATION_837P])
    body = header(submitter, st02, now)
    groups: dict[tuple[object, ...], list[Claim]] = {}
    keys: dict[int, tuple[object, ...]] = {}  # claims often share one BillingProvider
    for claim in claims:
        bp = claim.billing_provider
        key = keys.get(id(bp))
        if key is None:
            key = keys[id(bp)] = _provider_key(bp)
        groups.setdefault(key, []).append(claim)
    hl = 0
    for group in groups.values():
        hl += 1
        provider_hl = hl
        body.extend(billing_provider_loop(provider_hl, group[0].billing_provider))
        for claim in group:
            hl += 1
            subscriber_hl = hl
            body.extend(subscriber_loop(subscriber_hl, provider_hl, claim))
            if claim.patient.relationship_to_subscriber != "18":
                hl += 1
                body.extend(patient_loop(hl, subscriber_hl, claim.patient))
            claim_pos = claim.claim_place_of_service()
            body.extend(claim_loop(claim, claim_pos or "", component))
            for number, line in enumerate(claim.service_lines, start=1):
                body.extend(service_line_loop(number, line, claim_pos, component))
    se = Segment("SE", [str(len(body) + 2), st02])
    return [st, *body, se]


def build_837p_segments(claims: Sequence[Claim], submitter: Submitter,
                        config: EnvelopeConfig, *, numbers: ControlNumbers | None = None,
                        now: datetime | None = None, validate: bool = True,
                        max_claims_per_transaction: int = 5000) -> list[Segment]:
    """The interchange as segments (validated unless ``validate`` is false)."""
    moment = now or datetime.now(UTC)
    if validate:
        validate_claims(claims, ClaimContext(today=moment.date(), delimiters=config.delimiters))
    component = config.delimiters.component
    transactions = [
        _transaction(claims[i:i + max_claims_per_transaction], submitter,
                     f"{n:04d}", moment, component)
        for n, i in enumerate(range(0, len(claims), max_claims_per_transaction), start=1)
    ]
    return wrap_interchange(config, "HC", IMPLEMENTATION_837P, transactions,
                            numbers or CounterControlNumbers(), moment)


def build_837p(claims: Sequence[Claim], submitter: Submitter, config: EnvelopeConfig, *,
               numbers: ControlNumbers | None = None, now: datetime | None = None,
               max_claims_per_transaction: int = 5000) -> Build837Result:
    """Validate ``claims`` and return one 837P interchange as text."""
    with _gc_paused():
        segments = build_837p_segments(claims, submitter, config, numbers=numbers, now=now,
                                       max_claims_per_transaction=max_claims_per_transaction)
        text = write_segments(segments, config.delimiters, line_break=config.line_break)
    return Build837Result(text, segments[0].get(13), len(claims))


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
