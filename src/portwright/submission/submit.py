"""Submit claims or a ready file through a channel, exactly once per reference id."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from portwright.entities.claim import Claim, Submitter
from portwright.exceptions import SubmissionError
from portwright.submission.channel import SubmissionChannel
from portwright.submission.ledger import LedgerEntry, SubmissionLedger
from portwright.x12.build837 import build_837p
from portwright.x12.envelope import ControlNumbers, EnvelopeConfig

__all__ = ["SubmissionReceipt", "submit_claims", "submit_file"]

_SAFE = re.compile(r"[^A-Za-z0-9_.-]")


@dataclass(frozen=True)
class SubmissionReceipt:
    """The ledger entry after this call; ``duplicate`` when nothing new was sent."""

    entry: LedgerEntry
    duplicate: bool


def _filename(reference_id: str, suffix: str) -> str:
    return _SAFE.sub("_", reference_id).lstrip(".") + suffix


def _submit(reference_id: str, payload_digest: str, make_file: Callable[[], bytes],
            channel: SubmissionChannel, ledger: SubmissionLedger, suffix: str
            ) -> SubmissionReceipt:
    if not reference_id.strip():
        raise SubmissionError("a submission needs a reference id (the idempotency key)")
    with ledger.locked():
        entry = ledger.get(reference_id)
        if entry is not None and entry.payload_digest != payload_digest:
            raise SubmissionError(
                f"reference id {reference_id!r} was already used for different content; "
                "nothing was sent", hint="use a new reference id for a new submission")
        if entry is not None and entry.status == "delivered":
            return SubmissionReceipt(entry, duplicate=True)
        if entry is None:
            content = make_file()  # validation happens here: nothing is recorded on error
            ledger.keep_file(reference_id, content)
            entry = LedgerEntry(
                reference_id=reference_id, status="pending", channel=channel.name,
                filename=_filename(reference_id, suffix), payload_digest=payload_digest,
                file_digest=ledger.digest(content), size=len(content),
                created_at=ledger.now())
            ledger.put(entry)
        else:
            content = ledger.file_path(reference_id).read_bytes()
            if ledger.digest(content) != entry.file_digest:
                raise SubmissionError(f"the kept file for {reference_id!r} was modified; "
                                      "nothing was sent")
        entry = entry.model_copy(update={"attempts": entry.attempts + 1})
        ledger.put(entry)
        landed = channel.already_delivered(entry.filename, content)
        duplicate = landed is not None
        delivery = landed or channel.deliver(entry.filename, content)
        entry = entry.model_copy(update={"status": "delivered", "location": delivery.location,
                                         "delivered_at": ledger.now()})
        ledger.put(entry)
        return SubmissionReceipt(entry, duplicate=duplicate)


def submit_file(reference_id: str, content: bytes, channel: SubmissionChannel,
                ledger: SubmissionLedger, *, suffix: str = ".837") -> SubmissionReceipt:
    """Deliver a ready file once; a retry with the same id and bytes sends nothing."""
    return _submit(reference_id, ledger.digest(content), lambda: content, channel, ledger,
                   suffix)


def submit_claims(reference_id: str, claims: Sequence[Claim], submitter: Submitter,
                  config: EnvelopeConfig, channel: SubmissionChannel,
                  ledger: SubmissionLedger, *, numbers: ControlNumbers | None = None
                  ) -> SubmissionReceipt:
    """Build the 837P (validated first) and deliver it once per ``reference_id``.

    A retry rebuilds nothing: the file kept at the first attempt is sent again (same
    control numbers), and only if the channel does not already have it.
    """
    payload = json.dumps([c.to_json_dict() for c in claims], sort_keys=True).encode()

    def make_file() -> bytes:
        return build_837p(claims, submitter, config, numbers=numbers).text.encode("ascii")

    return _submit(reference_id, SubmissionLedger.digest(payload), make_file, channel, ledger,
                   ".837")
