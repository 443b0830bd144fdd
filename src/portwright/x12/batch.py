"""The JSON file ``portwright claims build`` reads: a submitter, envelope options, claims.

    {"submitter": {"name": ..., "submitterId": ..., "contactName": ..., "contactPhone": ...,
                   "receiverName": ..., "receiverId": ...},
     "envelope": {"usage": "T", "lineBreak": true},          (optional)
     "claims": [ {POST /claims body, extended}, ... ]}

JSON errors and schema errors become ``ClaimValidationError``s with the same
``claims[0].serviceLines[1].chargeAmount`` paths as business-rule problems. Envelope ids
that cannot be written (a sender id longer than ISA06's 15 characters) are named by the
field they came from (``envelope.senderId``, else ``submitter.submitterId``), so
``claims validate`` finds them too, before ``claims build`` takes a control number.
A file read here carries its settings checked (``LoadedBatch.envelope`` and
``LoadedBatch.submitter``): building it does not check them again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from portwright.entities.base import EntityModel
from portwright.entities.claim import Claim, Submitter
from portwright.exceptions import ClaimValidationError, FieldProblem
from portwright.x12.checked_submitter import CheckedSubmitter, check_submitter
from portwright.x12.delimiters import Delimiters
from portwright.x12.envelope import CheckedEnvelope, EnvelopeConfig, check_envelope

__all__ = [
    "ClaimBatch",
    "EnvelopeOptions",
    "LoadedBatch",
    "load_claim_batch",
    "load_claims",
    "pydantic_problems",
    "read_claims_json",
]


class EnvelopeOptions(EntityModel):
    """ISA/GS choices; ids default to the submitter's and receiver's ids."""

    sender_id: str | None = None
    receiver_id: str | None = None
    sender_qualifier: str = "ZZ"
    receiver_qualifier: str = "ZZ"
    usage: Literal["T", "P"] = "T"
    element_separator: str = "*"
    component_separator: str = ":"
    repetition_separator: str = "^"
    segment_terminator: str = "~"
    line_break: bool = True


class ClaimBatch(EntityModel):
    """Everything needed to build one 837P interchange."""

    submitter: Submitter
    envelope: EnvelopeOptions = Field(default_factory=EnvelopeOptions)
    claims: list[Claim]

    def envelope_config(self) -> EnvelopeConfig:
        e = self.envelope
        return EnvelopeConfig(
            sender_id=e.sender_id or self.submitter.submitter_id,
            receiver_id=e.receiver_id or self.submitter.receiver_id,
            sender_qualifier=e.sender_qualifier, receiver_qualifier=e.receiver_qualifier,
            usage=e.usage,
            delimiters=Delimiters(e.element_separator, e.component_separator,
                                  e.repetition_separator, e.segment_terminator),
            line_break="\n" if e.line_break else "")

    def named_problems(self, problems: list[FieldProblem]) -> list[FieldProblem]:
        """Envelope problems (``check_envelope``), each named by the field of this file
        it came from."""
        e = self.envelope
        source = {
            "senderId": "envelope.senderId" if e.sender_id else "submitter.submitterId",
            "receiverId": "envelope.receiverId" if e.receiver_id else "submitter.receiverId",
        }
        return [FieldProblem(source.get(p.field, "envelope." + p.field), p.message)
                for p in problems]


@dataclass(frozen=True)
class LoadedBatch:
    """A claims file whose submitter and envelope settings can be written; the claims'
    business rules run when it is built."""

    claims: list[Claim]
    submitter: CheckedSubmitter
    envelope: CheckedEnvelope


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def pydantic_problems(exc: ValidationError) -> list[FieldProblem]:
    """pydantic errors as FieldProblems with camelCase dotted paths."""
    return [FieldProblem(_path(tuple(err["loc"])) or "(root)", err["msg"])
            for err in exc.errors()]


def read_claims_json(path: Path) -> object:
    """The JSON value of a claims file, as editors save it: UTF-8 with or without a byte
    order mark (Windows Notepad adds one), or UTF-16/32 (a spreadsheet's "Unicode text"),
    with any line endings. Text in another encoding is a ``ClaimValidationError`` naming
    the line of the first byte that is not UTF-8 (it was a ``UnicodeDecodeError``
    traceback); what the file says is screened for X12 later, field by field."""
    data = path.read_bytes()
    try:
        return json.loads(data)  # detects a BOM and UTF-16/32 (RFC 8259 section 8.1)
    except json.JSONDecodeError as exc:
        raise ClaimValidationError(
            f"{path}: not JSON", problems=[FieldProblem(f"line {exc.lineno}", exc.msg)]
        ) from exc
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ClaimValidationError(
            f"{path}: not UTF-8 text", problems=[FieldProblem(
                f"line {line}", f"byte 0x{data[exc.start]:02x} is not {exc.encoding} "
                "(save the file as UTF-8)")]) from exc


def load_claims(path: Path) -> list[Claim]:
    """The claims of a claims file, or of a single ``POST /claims`` body, or of a JSON
    list of such bodies (no submitter needed: for validating and reconciling)."""
    raw = read_claims_json(path)
    if isinstance(raw, dict) and "claims" in raw:
        return _batch(path, raw).claims  # the envelope is no concern of reconciling
    try:
        if isinstance(raw, list):
            return [Claim.model_validate(item) for item in raw]
        return [Claim.model_validate(raw)]
    except ValidationError as exc:
        raise ClaimValidationError(f"{path}: does not match the claim shape",
                                   problems=pydantic_problems(exc)) from exc


def _batch(path: Path, raw: object) -> ClaimBatch:
    try:
        return ClaimBatch.model_validate(raw)
    except ValidationError as exc:
        raise ClaimValidationError(f"{path}: does not match the claims file shape",
                                   problems=pydantic_problems(exc)) from exc


def load_claim_batch(path: Path) -> LoadedBatch:
    """Read and check the shape of a claims file and its submitter and envelope settings
    (business rules run at build time)."""
    batch = _batch(path, read_claims_json(path))
    try:
        envelope = check_envelope(batch.envelope_config())
    except ValueError as exc:  # e.g. Delimiters rejecting two equal separators
        raise ClaimValidationError(f"{path}: {exc}") from exc
    submitter = check_submitter(batch.submitter)
    config_problems = batch.named_problems(envelope) if isinstance(envelope, list) else []
    if isinstance(submitter, list):
        config_problems += submitter
    if isinstance(envelope, list) or isinstance(submitter, list):
        raise ClaimValidationError(
            f"{path}: {len(config_problems)} problem(s) in the envelope settings",
            problems=config_problems)
    return LoadedBatch(batch.claims, submitter, envelope)
