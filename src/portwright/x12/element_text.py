"""What X12 text can hold: each free-text element's length, and characters.

Split from :mod:`portwright.x12.validate_claim` because these rules are about the format,
not the claim: a name one character too long for NM103, or holding the file's own
element separator, makes a clearinghouse reject the whole file, and X12 has no escape to
carry it. The claim rules and the submitter check (loops 1000A/1000B) both use them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from functools import lru_cache

from pydantic.alias_generators import to_camel

from portwright.entities.base import EntityModel
from portwright.entities.claim import Claim, ClaimAddress, Submitter
from portwright.exceptions import FieldProblem
from portwright.x12.delimiters import Delimiters

__all__ = ["length_problems", "reserved_pattern", "separator_problems",
           "submitter_problems", "text_problems"]

#: Control characters: not in the X12 character sets (pyx12: "invalid control character").
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

#: The longest value each free-text element of the 837P may hold (005010X222A1).
_NAME_LAST, _NAME_FIRST, _ADDRESS_LINE, _CITY, _ID, _REF = 60, 35, 55, 30, 80, 50


def _address_lengths(path: str, address: ClaimAddress | None) -> Iterator[tuple[str, str | None,
                                                                              int, str]]:
    if address is not None:
        yield f"{path}.line1", address.line1, _ADDRESS_LINE, "N301"
        yield f"{path}.line2", address.line2, _ADDRESS_LINE, "N302"
        yield f"{path}.city", address.city, _CITY, "N401"


def _claim_lengths(claim: Claim) -> Iterator[tuple[str, str | None, int, str]]:
    """(field, value, maximum, element) for every free-text value the 837P carries."""
    bp, rp, pt = claim.billing_provider, claim.rendering_provider, claim.patient
    yield "billingProvider.name", bp.name, _NAME_LAST, "NM103"
    yield from _address_lengths("billingProvider.billingAddress", bp.billing_address)
    yield "billingProvider.contactName", bp.contact_name, _NAME_LAST, "PER02"
    if rp is not None:
        yield "renderingProvider.lastName", rp.last_name, _NAME_LAST, "NM103"
        yield "renderingProvider.firstName", rp.first_name, _NAME_FIRST, "NM104"
    yield "patient.lastName", pt.last_name, _NAME_LAST, "NM103"
    yield "patient.firstName", pt.first_name, _NAME_FIRST, "NM104"
    yield "patient.memberId", pt.member_id, _ID, "NM109"
    yield "patient.groupNumber", pt.group_number, _REF, "SBR03"
    yield from _address_lengths("patient.address", pt.address)
    sub = pt.subscriber
    if sub is not None:
        yield "patient.subscriber.lastName", sub.last_name, _NAME_LAST, "NM103"
        yield "patient.subscriber.firstName", sub.first_name, _NAME_FIRST, "NM104"
        yield "patient.subscriber.memberId", sub.member_id, _ID, "NM109"
        yield from _address_lengths("patient.subscriber.address", sub.address)
    yield "payerId", claim.payer_id, _ID, "NM109"
    if claim.payer is not None:
        yield "payer.name", claim.payer.name, _NAME_LAST, "NM103"
        yield from _address_lengths("payer.address", claim.payer.address)
    yield "originalClaimNumber", claim.original_claim_number, _REF, "REF02"
    yield "priorAuthorization", claim.prior_authorization, _REF, "REF02"


def length_problems(claim: Claim) -> Iterator[FieldProblem]:
    """Values longer than their X12 element holds: a clearinghouse rejects the whole file
    (pyx12: "is too long"), and cutting a name or id to fit would bill someone else."""
    for path, value, limit, element in _claim_lengths(claim):
        if value is not None and len(value) > limit:
            yield FieldProblem(path, f"{len(value)} characters; {element} holds at most "
                               f"{limit}")


def submitter_problems(submitter: Submitter) -> list[FieldProblem]:
    """The submitter's names that do not fit their 837P elements (loops 1000A/1000B)."""
    fields = (("name", submitter.name, "NM103"), ("contactName", submitter.contact_name,
              "PER02"), ("receiverName", submitter.receiver_name, "NM103"))
    return [FieldProblem(f"submitter.{name}",
                         f"{len(value)} characters; {element} holds at most {_NAME_LAST}")
            for name, value, element in fields if len(value) > _NAME_LAST]


@lru_cache(maxsize=32)
def reserved_pattern(d: Delimiters) -> re.Pattern[str]:
    """A pattern matching any of the four separators of ``d``."""
    return re.compile("[" + re.escape(d.element + d.component + d.repetition + d.segment)
                      + "]")


def separator_problems(claim: Claim, delimiters: Delimiters) -> Iterator[FieldProblem]:
    """Every string of ``claim`` holding a separator of ``delimiters``, a non-ASCII or a
    control character: X12 has no escape, so such text cannot be sent at all."""
    reserved = reserved_pattern(delimiters)
    # Fast screen on the JSON text (serialized in Rust). Without an escape in it,
    # every '":' ends a key, so dropping those colons leaves only values to search. Only
    # a hit (or an escape: a quote, or a control character such as a line break that the
    # JSON text shows as a backslash sequence) pays for the attribute walk that names it.
    raw = claim.model_dump_json()
    if "\\" not in raw:
        text = raw.replace('":', '"')
        if text.isascii() and not reserved.search(text):
            return
    yield from _bad_strings(claim, (), reserved)


def text_problems(model: EntityModel, delimiters: Delimiters, prefix: str = ""
                  ) -> list[FieldProblem]:
    """Every string field of ``model`` holding a separator or a non-ASCII character."""
    return [FieldProblem(prefix + p.field, p.message)
            for p in _bad_strings(model, (), reserved_pattern(delimiters))]


def _bad_strings(node: object, path: tuple[str | int, ...], reserved: re.Pattern[str]
                 ) -> Iterator[FieldProblem]:
    """Walk the model's own attributes (fast: no JSON dump) and report only bad strings;
    the camelCase path is built only for a problem."""
    if isinstance(node, str):
        found = reserved.findall(node)
        if found:
            yield FieldProblem(_dotted(path),
                               f"contains the X12 separator {''.join(sorted(found))!r}")
        if not node.isascii():
            yield FieldProblem(_dotted(path),
                               "contains characters outside ASCII, which X12 cannot carry")
        if _CONTROL.search(node):
            yield FieldProblem(_dotted(path), "contains a control character (a line break, a "
                               "tab, ...), which X12 text cannot carry")
    elif isinstance(node, EntityModel):
        for name, value in node.__dict__.items():
            if value is not None and not isinstance(value, (int, Decimal, date)):
                yield from _bad_strings(value, (*path, name), reserved)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _bad_strings(value, (*path, i), reserved)


def _dotted(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + to_camel(part)
    return out
