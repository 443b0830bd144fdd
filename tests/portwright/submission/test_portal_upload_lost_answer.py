"""A portal upload whose answer is lost after the portal stored the file (real Chromium,
real flows, both UI versions): the retry must find the stored file on the portal's own
list and not upload it a second time; a local failure before the upload is an error
saying nothing was uploaded. The portal's database is the ground truth."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from portwright.exceptions import SubmissionError
from portwright.runner.engine import Engine
from portwright.submission import Delivery, SubmissionLedger, submit_claims_async
from portwright.submission.portal_upload import PortalUploadChannel
from portwright.testing.claims import make_claim, make_submitter
from portwright.x12.envelope import CounterControlNumbers, EnvelopeConfig
from portwright_valant.testing import SandboxHandle

pytestmark = [pytest.mark.browser, pytest.mark.services]

CONFIG = EnvelopeConfig(sender_id="CASC01", receiver_id="CLEARHOUSE01")


class AnswerLost:
    """The real channel, whose first upload reaches the portal and is stored there but
    whose answer never arrives (a dropped connection after the POST was sent)."""

    def __init__(self, inner: PortalUploadChannel) -> None:
        self.inner = inner
        self.name = inner.name
        self.uploads = 0

    async def deliver(self, filename: str, content: bytes) -> Delivery:
        delivery = await self.inner.deliver(filename, content)
        self.uploads += 1
        if self.uploads == 1:
            raise SubmissionError(f"upload of {filename} through the portal failed: "
                                  "the connection closed before the answer")
        return delivery

    async def already_delivered(self, filename: str, content: bytes) -> Delivery | None:
        return await self.inner.already_delivered(filename, content)


async def test_a_retry_after_the_answer_was_lost_uploads_nothing_more(
        engine: Engine, portal: SandboxHandle, tmp_path: Path) -> None:
    reference = f"lost-{secrets.token_hex(4)}"
    channel = AnswerLost(PortalUploadChannel(engine, workdir=tmp_path))
    ledger = SubmissionLedger(tmp_path / "ledger")
    claims = [make_claim(f"{reference}-1")]
    with pytest.raises(SubmissionError, match="connection closed"):
        await submit_claims_async(reference, claims, make_submitter(), CONFIG, channel,
                                  ledger, numbers=CounterControlNumbers(interchange=920))
    [stored] = portal.query("SELECT * FROM claim_uploads WHERE filename = ?",
                            f"{reference}.837")
    pending = ledger.get(reference)
    assert pending is not None and pending.status == "pending"

    retry = await submit_claims_async(reference, claims, make_submitter(), CONFIG, channel,
                                      ledger)
    assert retry.duplicate and retry.entry.status == "delivered"
    assert retry.entry.location == stored["id"]
    assert channel.uploads == 1
    assert portal.scalar("SELECT count(*) FROM claim_uploads WHERE filename = ?",
                         f"{reference}.837") == 1
    assert ledger.digest(bytes(stored["content"])) == retry.entry.file_digest


async def test_a_work_folder_that_cannot_take_the_file_is_a_clear_error(
        engine: Engine, portal: SandboxHandle, tmp_path: Path) -> None:
    """The file to upload is written locally first (the portal records the name it
    receives); a folder that cannot take it raised a bare OSError."""
    reference = f"nowhere-{secrets.token_hex(4)}"
    channel = PortalUploadChannel(engine, workdir=tmp_path / "not-there")
    ledger = SubmissionLedger(tmp_path / "ledger")
    with pytest.raises(SubmissionError, match="nothing was uploaded") as info:
        await submit_claims_async(reference, [make_claim(f"{reference}-1")],
                                  make_submitter(), CONFIG, channel, ledger,
                                  numbers=CounterControlNumbers(interchange=930))
    assert "not-there" in str(info.value)
    assert portal.scalar("SELECT count(*) FROM claim_uploads WHERE filename = ?",
                         f"{reference}.837") == 0
    pending = ledger.get(reference)
    assert pending is not None and pending.status == "pending"
