"""Submitting 837P files over SFTP to a real OpenSSH sshd, exactly once per reference id."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from portwright.exceptions import ClaimValidationError, SubmissionError
from portwright.submission import (
    Delivery,
    SftpChannel,
    SftpSettings,
    SubmissionLedger,
    submit_claims,
    submit_file,
)
from portwright.testing.claims import make_claim, make_line, make_submitter
from portwright.testing.services.sshd import SshdServer
from portwright.testing.x12_oracle import pyx12_check
from portwright.x12.envelope import EnvelopeConfig

pytestmark = pytest.mark.services

CONFIG = EnvelopeConfig(sender_id="CASC01", receiver_id="CLEARHOUSE01")


def _channel(sshd: SshdServer, drop: Path, host_key: str | None = None) -> SftpChannel:
    return SftpChannel(SftpSettings(
        host=sshd.host, port=sshd.port, username=sshd.username,
        key_path=sshd.client_key_path, remote_dir=str(drop),
        host_key=host_key or sshd.host_public_key))


class CountingChannel:
    """Wraps a real channel and counts real uploads (optionally failing after one)."""

    def __init__(self, inner: SftpChannel, fail_after_upload: bool = False) -> None:
        self.inner = inner
        self.name = inner.name
        self.uploads = 0
        self.fail_after_upload = fail_after_upload

    def deliver(self, filename: str, content: bytes) -> Delivery:
        delivery = self.inner.deliver(filename, content)
        self.uploads += 1
        if self.fail_after_upload:
            self.fail_after_upload = False
            raise SubmissionError("connection lost after the rename (simulated)")
        return delivery

    def already_delivered(self, filename: str, content: bytes) -> Delivery | None:
        return self.inner.already_delivered(filename, content)


def test_claims_land_whole_and_valid_and_a_retry_sends_nothing(
        sshd: SshdServer, sftp_drop: Path, tmp_path: Path) -> None:
    ledger = SubmissionLedger(tmp_path / "state" / "submissions")
    channel = CountingChannel(_channel(sshd, sftp_drop))
    claims = [make_claim("CLM-S1"), make_claim("CLM-S2", service_lines=[
        make_line(modifiers=["95"], place_of_service="10")])]
    first = submit_claims("batch-jan25", claims, make_submitter(), CONFIG, channel, ledger)
    assert not first.duplicate and first.entry.status == "delivered"
    files = sorted(p.name for p in sftp_drop.iterdir())
    assert files == ["batch-jan25.837"]
    landed = (sftp_drop / "batch-jan25.837").read_text()
    verdict = pyx12_check(landed)
    assert verdict.ok, verdict.errors
    assert ledger.digest(landed.encode()) == first.entry.file_digest
    assert not ledger.file_path("batch-jan25").exists()  # no PHI left behind once delivered

    again = submit_claims("batch-jan25", claims, make_submitter(), CONFIG, channel, ledger)
    assert again.duplicate
    assert channel.uploads == 1
    assert sorted(p.name for p in sftp_drop.iterdir()) == ["batch-jan25.837"]
    assert (sftp_drop / "batch-jan25.837").read_text() == landed
    # A new ledger object reading the same state dir knows it too (persisted).
    reread = SubmissionLedger(tmp_path / "state" / "submissions").get("batch-jan25")
    assert reread is not None and reread.status == "delivered" and reread.attempts == 1


def test_crash_after_upload_is_not_uploaded_twice(
        sshd: SshdServer, sftp_drop: Path, tmp_path: Path) -> None:
    ledger = SubmissionLedger(tmp_path / "submissions")
    channel = CountingChannel(_channel(sshd, sftp_drop), fail_after_upload=True)
    with pytest.raises(SubmissionError, match="connection lost"):
        submit_claims("ref-crash", [make_claim()], make_submitter(), CONFIG, channel, ledger)
    pending = ledger.get("ref-crash")
    assert pending is not None and pending.status == "pending"
    assert ledger.file_path("ref-crash").exists()  # kept for the retry
    receipt = submit_claims("ref-crash", [make_claim()], make_submitter(), CONFIG, channel,
                            ledger)
    assert receipt.duplicate and receipt.entry.status == "delivered"
    assert channel.uploads == 1
    assert [p.name for p in sftp_drop.iterdir()] == ["ref-crash.837"]


def test_failed_upload_leaves_no_partial_file_and_retry_succeeds(
        sshd: SshdServer, sftp_drop: Path, tmp_path: Path) -> None:
    ledger = SubmissionLedger(tmp_path / "submissions")
    missing = sftp_drop / "not-yet"
    channel = _channel(sshd, missing)
    with pytest.raises(SubmissionError, match="failed"):
        submit_file("ref-fail", b"ISA*...~", channel, ledger)
    assert list(sftp_drop.iterdir()) == []
    missing.mkdir()
    receipt = submit_file("ref-fail", b"ISA*...~", channel, ledger)
    assert not receipt.duplicate
    assert [p.name for p in missing.iterdir()] == ["ref-fail.837"]
    assert ledger.get("ref-fail").attempts == 2  # type: ignore[union-attr]


def test_wrong_host_key_sends_nothing(sshd: SshdServer, sftp_drop: Path, tmp_path: Path) -> None:
    other = SshdServer()
    other.root.mkdir(parents=True, exist_ok=True)
    other._keygen(other.root / "host_key")  # a key that is not the server's
    try:
        channel = _channel(sshd, sftp_drop, host_key=other.host_public_key)
        with pytest.raises(SubmissionError, match="host key does not match"):
            submit_file("ref-mitm", b"content", channel, SubmissionLedger(tmp_path / "l"))
    finally:
        other.stop()
    assert list(sftp_drop.iterdir()) == []


def test_same_reference_with_different_claims_is_refused(
        sshd: SshdServer, sftp_drop: Path, tmp_path: Path) -> None:
    ledger = SubmissionLedger(tmp_path / "submissions")
    channel = _channel(sshd, sftp_drop)
    submit_claims("ref-x", [make_claim()], make_submitter(), CONFIG, channel, ledger)
    changed = make_claim(service_lines=[make_line(charge_amount=Decimal("130"))])
    with pytest.raises(SubmissionError, match="already used for different content"):
        submit_claims("ref-x", [changed], make_submitter(), CONFIG, channel, ledger)
    assert len(list(sftp_drop.iterdir())) == 1


def test_invalid_claims_record_nothing_and_send_nothing(
        sshd: SshdServer, sftp_drop: Path, tmp_path: Path) -> None:
    ledger = SubmissionLedger(tmp_path / "submissions")
    bad = make_claim(diagnosis_codes=["F32"])
    with pytest.raises(ClaimValidationError):
        submit_claims("ref-bad", [bad], make_submitter(), CONFIG, _channel(sshd, sftp_drop),
                      ledger)
    assert ledger.get("ref-bad") is None
    assert list(sftp_drop.iterdir()) == []


def test_concurrent_retries_upload_once(sshd: SshdServer, sftp_drop: Path,
                                        tmp_path: Path) -> None:
    ledger_dir = tmp_path / "submissions"
    channel = CountingChannel(_channel(sshd, sftp_drop))
    now = datetime(2026, 2, 1, tzinfo=UTC)
    results: list[bool] = []

    def run() -> None:
        receipt = submit_file("ref-race", f"file made {now}".encode(), channel,
                              SubmissionLedger(ledger_dir))
        results.append(receipt.duplicate)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, True, True, True]
    assert channel.uploads == 1
    assert [p.name for p in sftp_drop.iterdir()] == ["ref-race.837"]
