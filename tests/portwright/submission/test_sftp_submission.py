"""Submitting 837P files over SFTP to a real OpenSSH sshd, exactly once per reference id."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO

import paramiko
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
from portwright.x12.envelope import (
    CheckedEnvelope,
    CounterControlNumbers,
    EnvelopeConfig,
    check_envelope,
)

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


@pytest.mark.parametrize("unsafe", ["jan/batch", "jan batch", ".jan_batch", "jan:batch", "x" * 101])
def test_a_reference_id_outside_the_safe_alphabet_is_refused_before_anything_happens(
        sshd: SshdServer, sftp_drop: Path, tmp_path: Path, unsafe: str) -> None:
    """``jan/batch`` once became the file ``jan_batch.837``, the file of another reference
    id: the second batch was then taken for delivered, or could never be delivered. Such
    an id is refused before anything is built, numbered, recorded or sent."""
    ledger = SubmissionLedger(tmp_path / "submissions")
    channel = CountingChannel(_channel(sshd, sftp_drop))
    first = submit_claims("jan_batch", [make_claim("CLM-J1")], make_submitter(), CONFIG,
                          channel, ledger)
    assert first.entry.filename == "jan_batch.837"
    numbers = CounterControlNumbers(interchange=500, group=500)
    with pytest.raises(SubmissionError, match=r"cannot be used as a file name|more than 100"):
        submit_claims(unsafe, [make_claim("CLM-J2")], make_submitter(), CONFIG, channel,
                      ledger, numbers=numbers)
    assert (numbers.interchange, numbers.group) == (500, 500)  # nothing was numbered
    assert [e.reference_id for e in ledger.entries()] == ["jan_batch"]
    assert sorted(p.name for p in (ledger.directory / "files").iterdir()) == []
    assert [p.name for p in sftp_drop.iterdir()] == ["jan_batch.837"]
    assert channel.uploads == 1


def test_reference_ids_that_differ_only_in_letter_case_are_refused(
        sshd: SshdServer, sftp_drop: Path, tmp_path: Path) -> None:
    """``Jan.837`` and ``jan.837`` are one file on a case-insensitive server."""
    ledger = SubmissionLedger(tmp_path / "submissions")
    channel = CountingChannel(_channel(sshd, sftp_drop))
    submit_claims("batch-jan", [make_claim("CLM-K1")], make_submitter(), CONFIG, channel,
                  ledger)
    with pytest.raises(SubmissionError, match="only in letter case"):
        submit_claims("Batch-Jan", [make_claim("CLM-K2")], make_submitter(), CONFIG,
                      channel, ledger)
    assert ledger.get("Batch-Jan") is None
    assert [p.name for p in sftp_drop.iterdir()] == ["batch-jan.837"]
    assert channel.uploads == 1


def test_same_reference_with_changed_envelope_or_submitter_is_refused(
        sshd: SshdServer, sftp_drop: Path, tmp_path: Path) -> None:
    """The claims alone do not make the file: a retry under the same reference with other
    envelope or submitter settings would have sent the old file as if it were the new."""
    ledger = SubmissionLedger(tmp_path / "submissions")
    channel = CountingChannel(_channel(sshd, sftp_drop))
    claims = [make_claim("CLM-E1")]
    submit_claims("ref-env", claims, make_submitter(), CONFIG, channel, ledger)
    landed = (sftp_drop / "ref-env.837").read_bytes()
    other_submitter = make_submitter().model_copy(update={"contact_phone": "2065550199"})
    for submitter, config in (
            (make_submitter(), EnvelopeConfig(sender_id="CASC01", receiver_id="CLEARHOUSE01",
                                              usage="P")),
            (make_submitter(), EnvelopeConfig(sender_id="CASC01", receiver_id="OTHERHOUSE")),
            (other_submitter, CONFIG)):
        with pytest.raises(SubmissionError, match="already used for different content"):
            submit_claims("ref-env", claims, submitter, config, channel, ledger)
    again = submit_claims("ref-env", claims, make_submitter(), CONFIG, channel, ledger)
    assert again.duplicate
    assert channel.uploads == 1
    assert (sftp_drop / "ref-env.837").read_bytes() == landed


def test_settings_checked_when_a_claims_file_was_read_are_the_same_settings(
        sshd: SshdServer, sftp_drop: Path, tmp_path: Path) -> None:
    """`claims submit` hands over settings checked when the file was read; a retry that
    way of a submission made with the plain settings is the same submission, not
    "different content"."""
    ledger = SubmissionLedger(tmp_path / "submissions")
    channel = CountingChannel(_channel(sshd, sftp_drop))
    claims = [make_claim("CLM-C1")]
    submit_claims("ref-checked", claims, make_submitter(), CONFIG, channel, ledger)
    checked = check_envelope(CONFIG)
    assert isinstance(checked, CheckedEnvelope)
    again = submit_claims("ref-checked", claims, make_submitter(), checked, channel, ledger)
    assert again.duplicate
    assert channel.uploads == 1


def test_an_entry_recorded_before_settings_were_kept_is_still_recognized(
        sshd: SshdServer, sftp_drop: Path, tmp_path: Path) -> None:
    """A ledger written by an earlier version has no settings digest: re-running the same
    submission must still say "already submitted", not refuse it."""
    import json

    ledger = SubmissionLedger(tmp_path / "submissions")
    channel = CountingChannel(_channel(sshd, sftp_drop))
    submit_claims("ref-old", [make_claim()], make_submitter(), CONFIG, channel, ledger)
    raw = json.loads(ledger.path.read_text())
    del raw["ref-old"]["settingsDigest"]
    ledger.path.write_text(json.dumps(raw))
    again = submit_claims("ref-old", [make_claim()], make_submitter(), CONFIG, channel, ledger)
    assert again.duplicate and channel.uploads == 1


class _ShortWriteClient(paramiko.SFTPClient):
    """A server that keeps fewer bytes than it was sent (a full disk, a quota) and says
    so only in the size it reports."""

    def putfo(self, fl: IO[bytes], remotepath: str, file_size: int = 0,
              callback: Callable[[int, int], object] | None = None, confirm: bool = True,
              ) -> paramiko.SFTPAttributes:
        data = fl.read()
        return super().putfo(io.BytesIO(data[:-7]), remotepath, confirm=confirm)


class _ShortWriteChannel(SftpChannel):
    def _connect(self) -> tuple[paramiko.Transport, paramiko.SFTPClient]:
        transport, client = super()._connect()
        client.close()
        short = _ShortWriteClient.from_transport(transport)
        assert short is not None
        return transport, short


def test_a_short_write_leaves_no_part_file_and_records_no_delivery(
        sshd: SshdServer, sftp_drop: Path, tmp_path: Path) -> None:
    ledger = SubmissionLedger(tmp_path / "submissions")
    channel = _ShortWriteChannel(SftpSettings(
        host=sshd.host, port=sshd.port, username=sshd.username,
        key_path=sshd.client_key_path, remote_dir=str(sftp_drop),
        host_key=sshd.host_public_key))
    with pytest.raises(SubmissionError) as info:
        submit_file("ref-short", b"ISA*" + b"x" * 200 + b"~", channel, ledger)
    assert list(sftp_drop.iterdir()) == []  # no .ref-short.837.*.part left behind
    assert "holds 198 of 205 bytes; the partial file was removed" in str(info.value)
    entry = ledger.get("ref-short")
    assert entry is not None and entry.status == "pending"
