"""Submit claims or a ready file through a channel, exactly once per reference id.

The sequence is the same for every channel: under the ledger lock, look the reference
up (delivered: stop; different content: refuse), keep the file and record intent, ask
the channel whether the file already landed, deliver it if not, record success. The
synchronous functions drive ``SubmissionChannel``s (SFTP); the ``*_async`` ones drive
``AsyncSubmissionChannel``s (portal upload through a browser flow).

A new reference id is checked before the lock is taken (``reference.checked_reference_id``):
it becomes the file's name as it is, so a bad one is refused before anything is written.
An id already in the ledger is retried under the names recorded for it, even one an
earlier version accepted that the rule now refuses.
What "the same content" means covers everything that shapes the file: the claims, and
for built files the submitter and envelope settings too.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from portwright.entities.claim import Claim, Submitter
from portwright.exceptions import SubmissionError
from portwright.submission.channel import AsyncSubmissionChannel, Delivery, SubmissionChannel
from portwright.submission.ledger import LedgerEntry, SubmissionLedger
from portwright.submission.reference import REFERENCE_ID_PATTERN, checked_reference_id
from portwright.x12.build837 import build_837p
from portwright.x12.envelope import ControlNumbers, EnvelopeConfig

__all__ = [
    "SubmissionReceipt",
    "submit_claims",
    "submit_claims_async",
    "submit_file",
    "submit_file_async",
]

@dataclass(frozen=True)
class SubmissionReceipt:
    """The ledger entry after this call; ``duplicate`` when nothing new was sent."""

    entry: LedgerEntry
    duplicate: bool


@dataclass(frozen=True)
class _Request:
    reference_id: str
    payload_digest: str
    make_file: Callable[[], bytes]
    suffix: str
    settings_digest: str | None = None


def _refuse_changed(req: _Request, entry: LedgerEntry) -> None:
    """A known reference id must come back with the content it was first used for."""
    if entry.payload_digest != req.payload_digest:
        changed = "different content"
    elif entry.settings_digest not in (None, req.settings_digest):
        changed = "different content (the submitter or envelope settings changed)"
    else:
        return
    raise SubmissionError(
        f"reference id {req.reference_id!r} was already used for {changed}; nothing was "
        "sent", hint="use a new reference id for a new submission")


def _check_names(req: _Request, ledger: SubmissionLedger) -> None:
    """The id and suffix become the file's name as they are, so both must be safe.

    An id the ledger already holds is a retry: one recorded by an earlier version may
    break today's rule (``jan/batch``), and its entry keeps the names it was sent
    under, so it is retried, not refused (refusing left its submission pending for
    good). Reading the ledger makes no folder."""
    if ledger.get(req.reference_id) is None:
        checked_reference_id(req.reference_id)
    if REFERENCE_ID_PATTERN.fullmatch("x" + req.suffix) is None:
        raise SubmissionError(f"file suffix {req.suffix!r} cannot be part of a file name; "
                              "nothing was sent")


_LOCAL_HINT = ("free space or fix the state folder's permissions, then run the same "
               "submission again")


@contextmanager
def _local_write(what: str, consequence: str) -> Iterator[None]:
    """A local write that failed (a full disk, a folder not writable) is a
    ``SubmissionError`` naming the file and saying what was or was not sent, not a
    traceback. The writes themselves never leave a half-written file under its name."""
    try:
        yield
    except OSError as exc:
        raise SubmissionError(f"cannot write {what}: {exc.strerror or exc}; {consequence}",
                              hint=_LOCAL_HINT) from exc


def _begin(req: _Request, channel_name: str, ledger: SubmissionLedger
           ) -> tuple[LedgerEntry, bytes | None]:
    """The entry to work on and the bytes to send (``None``: already delivered)."""
    entry = ledger.get(req.reference_id)
    if entry is not None:
        _refuse_changed(req, entry)
    if entry is not None and entry.status == "delivered":
        return entry, None
    new = entry is None
    if entry is None:
        filename = req.reference_id + req.suffix
        other = ledger.sharing_a_name(req.reference_id, filename)
        if other is not None:
            raise SubmissionError(
                f"reference id {req.reference_id!r} differs from the earlier reference id "
                f"{other.reference_id!r} only in letter case (or their file names do), and "
                "some servers would take the two for one file; nothing was sent",
                hint="use a reference id that differs in more than letter case")
        content = req.make_file()  # validation happens here: nothing is recorded on error
        kept = ledger.file_path(req.reference_id)
        with _local_write(f"the claims file {kept}", "nothing was sent"):
            ledger.keep_file(req.reference_id, content)
        entry = LedgerEntry(
            reference_id=req.reference_id, status="pending", channel=channel_name,
            filename=filename, payload_digest=req.payload_digest,
            settings_digest=req.settings_digest, file_digest=ledger.digest(content),
            size=len(content), created_at=ledger.now())
    else:
        kept = ledger.file_path(req.reference_id)
        try:
            content = kept.read_bytes()
        except OSError as exc:
            raise SubmissionError(
                f"cannot read the kept file {kept} of pending reference id "
                f"{req.reference_id!r}: {exc.strerror or exc}; nothing was sent") from exc
        if ledger.digest(content) != entry.file_digest:
            raise SubmissionError(f"the kept file for {req.reference_id!r} was modified; "
                                  "nothing was sent")
    entry = entry.model_copy(update={"attempts": entry.attempts + 1})
    try:
        with _local_write(f"the submission ledger {ledger.path}", "nothing was sent"):
            ledger.put(entry)
    except SubmissionError:
        if new:  # a kept claims file (PHI) that no entry names would never be deleted
            with suppress(OSError):
                kept.unlink(missing_ok=True)
        raise
    return entry, content


def _finish(ledger: SubmissionLedger, entry: LedgerEntry, delivery: Delivery,
            duplicate: bool) -> SubmissionReceipt:
    entry = entry.model_copy(update={"status": "delivered", "location": delivery.location,
                                     "delivered_at": ledger.now()})
    with _local_write(f"the submission ledger {ledger.path}",
                      f"{entry.filename} was delivered ({delivery.location}); a retry finds "
                      "it there and does not send it again"):
        ledger.put(entry)
    ledger.file_path(entry.reference_id).unlink(missing_ok=True)  # PHI: keep only the digest
    return SubmissionReceipt(entry, duplicate=duplicate)


def _submit(req: _Request, channel: SubmissionChannel, ledger: SubmissionLedger
            ) -> SubmissionReceipt:
    _check_names(req, ledger)  # before the lock makes the ledger's folder
    with ledger.locked():
        entry, content = _begin(req, channel.name, ledger)
        if content is None:
            return SubmissionReceipt(entry, duplicate=True)
        landed = channel.already_delivered(entry.filename, content)
        delivery = landed or channel.deliver(entry.filename, content)
        return _finish(ledger, entry, delivery, duplicate=landed is not None)


async def _submit_async(req: _Request, channel: AsyncSubmissionChannel,
                        ledger: SubmissionLedger) -> SubmissionReceipt:
    _check_names(req, ledger)  # before the lock makes the ledger's folder
    async with ledger.locked_async():
        entry, content = _begin(req, channel.name, ledger)
        if content is None:
            return SubmissionReceipt(entry, duplicate=True)
        landed = await channel.already_delivered(entry.filename, content)
        delivery = landed or await channel.deliver(entry.filename, content)
        return _finish(ledger, entry, delivery, duplicate=landed is not None)


def _file_request(reference_id: str, content: bytes, suffix: str) -> _Request:
    return _Request(reference_id, SubmissionLedger.digest(content), lambda: content, suffix)


def _claims_request(reference_id: str, claims: Sequence[Claim], submitter: Submitter,
                    config: EnvelopeConfig, numbers: ControlNumbers | None) -> _Request:
    payload = json.dumps([c.to_json_dict() for c in claims], sort_keys=True).encode()
    settings = json.dumps({"submitter": submitter.to_json_dict(),
                           "envelope": dataclasses.asdict(config)}, sort_keys=True).encode()

    def make_file() -> bytes:
        return build_837p(claims, submitter, config, numbers=numbers).text.encode("ascii")

    return _Request(reference_id, SubmissionLedger.digest(payload), make_file, ".837",
                    settings_digest=SubmissionLedger.digest(settings))


def submit_file(reference_id: str, content: bytes, channel: SubmissionChannel,
                ledger: SubmissionLedger, *, suffix: str = ".837") -> SubmissionReceipt:
    """Deliver a ready file once; a retry with the same id and bytes sends nothing."""
    return _submit(_file_request(reference_id, content, suffix), channel, ledger)


def submit_claims(reference_id: str, claims: Sequence[Claim], submitter: Submitter,
                  config: EnvelopeConfig, channel: SubmissionChannel,
                  ledger: SubmissionLedger, *, numbers: ControlNumbers | None = None
                  ) -> SubmissionReceipt:
    """Build the 837P (validated first) and deliver it once per ``reference_id``.

    A retry rebuilds nothing: the file kept at the first attempt is sent again (same
    control numbers), and only if the channel does not already have it.
    """
    return _submit(_claims_request(reference_id, claims, submitter, config, numbers),
                   channel, ledger)


async def submit_file_async(reference_id: str, content: bytes,
                            channel: AsyncSubmissionChannel, ledger: SubmissionLedger, *,
                            suffix: str = ".837") -> SubmissionReceipt:
    """``submit_file`` for asynchronous channels."""
    return await _submit_async(_file_request(reference_id, content, suffix), channel, ledger)


async def submit_claims_async(reference_id: str, claims: Sequence[Claim],
                              submitter: Submitter, config: EnvelopeConfig,
                              channel: AsyncSubmissionChannel, ledger: SubmissionLedger, *,
                              numbers: ControlNumbers | None = None) -> SubmissionReceipt:
    """``submit_claims`` for asynchronous channels (e.g. the portal upload page)."""
    return await _submit_async(_claims_request(reference_id, claims, submitter, config,
                                               numbers), channel, ledger)
