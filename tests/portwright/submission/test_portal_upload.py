"""Submitting 837P files through the sandbox portal's claims upload page (real Chromium,
real flows, both UI versions), once per reference id; the portal's database is the
ground truth for what arrived."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from portwright.exceptions import SubmissionError
from portwright.runner.engine import Engine
from portwright.submission import SubmissionLedger, submit_claims_async, submit_file_async
from portwright.submission.portal_upload import PortalUploadChannel
from portwright.testing.claims import make_claim, make_line, make_submitter
from portwright.x12.build837 import build_837p
from portwright.x12.envelope import CounterControlNumbers, EnvelopeConfig
from portwright_valant.testing import SandboxHandle

pytestmark = [pytest.mark.browser, pytest.mark.services]

CONFIG = EnvelopeConfig(sender_id="CASC01", receiver_id="CLEARHOUSE01")


async def test_upload_once_per_reference_even_when_the_ledger_is_lost(
        engine: Engine, portal: SandboxHandle, tmp_path: Path) -> None:
    reference = f"portal-{secrets.token_hex(4)}"
    channel = PortalUploadChannel(engine, workdir=tmp_path)
    ledger = SubmissionLedger(tmp_path / "ledger")
    claims = [make_claim(f"{reference}-1"), make_claim(f"{reference}-2", service_lines=[
        make_line(modifiers=["95"], place_of_service="10")])]
    numbers = CounterControlNumbers(interchange=700)
    receipt = await submit_claims_async(reference, claims, make_submitter(), CONFIG, channel,
                                        ledger, numbers=numbers)
    assert not receipt.duplicate
    [row] = portal.query("SELECT * FROM claim_uploads WHERE filename = ?", f"{reference}.837")
    assert receipt.entry.location == row["id"]
    assert ledger.digest(bytes(row["content"])) == receipt.entry.file_digest
    assert (row["claim_count"], row["interchange_control"]) == (2, "000000700")

    again = await submit_claims_async(reference, claims, make_submitter(), CONFIG, channel,
                                      ledger)
    assert again.duplicate
    # A second machine with an empty ledger finds the upload on the portal's own list.
    fresh = await submit_file_async(reference, bytes(row["content"]), channel,
                                    SubmissionLedger(tmp_path / "other-ledger"))
    assert fresh.duplicate and fresh.entry.location == row["id"]
    assert portal.scalar("SELECT count(*) FROM claim_uploads WHERE filename = ?",
                         f"{reference}.837") == 1


async def test_a_file_the_portal_refuses_is_an_error_with_its_message(
        engine: Engine, portal: SandboxHandle, tmp_path: Path) -> None:
    reference = f"refused-{secrets.token_hex(4)}"
    ledger = SubmissionLedger(tmp_path / "ledger")
    with pytest.raises(SubmissionError, match="the portal refused") as info:
        await submit_file_async(reference, b"this is not X12", PortalUploadChannel(
            engine, workdir=tmp_path), ledger)
    assert "ISA" in str(info.value) or "X12" in str(info.value)
    assert portal.scalar("SELECT count(*) FROM claim_uploads WHERE filename = ?",
                         f"{reference}.837") == 0
    entry = ledger.get(reference)
    assert entry is not None and entry.status == "pending"


async def test_a_same_named_upload_with_other_content_is_not_taken_for_ours(
        engine: Engine, portal: SandboxHandle, tmp_path: Path) -> None:
    """Name and size alone do not make a file ours: another ledger's upload under the same
    reference id, of the same size but another interchange, was once taken for this one,
    so these claims were marked delivered without being sent."""
    reference = f"same-{secrets.token_hex(4)}"
    channel = PortalUploadChannel(engine, workdir=tmp_path)
    first = await submit_claims_async(reference, [make_claim(f"{reference}-A")],
                                      make_submitter(), CONFIG, channel,
                                      SubmissionLedger(tmp_path / "ledger-a"),
                                      numbers=CounterControlNumbers(interchange=810))
    [row] = portal.query("SELECT * FROM claim_uploads WHERE filename = ?", f"{reference}.837")
    theirs = bytes(row["content"])
    ours = build_837p([make_claim(f"{reference}-B")], make_submitter(), CONFIG,
                      numbers=CounterControlNumbers(interchange=811)).text.encode()
    assert len(ours) == len(theirs) and ours != theirs
    other = SubmissionLedger(tmp_path / "ledger-b")
    with pytest.raises(SubmissionError, match=r"already on the portal .* with different "
                                              r"content; nothing was uploaded"):
        await submit_file_async(reference, ours, channel, other)
    entry = other.get(reference)
    assert entry is not None and entry.status == "pending"  # not marked delivered
    assert portal.scalar("SELECT count(*) FROM claim_uploads WHERE filename = ?",
                         f"{reference}.837") == 1
    assert first.entry.location == row["id"]
