"""Ledger entries written before reference ids became file names as given (af15446).

The earlier version accepted any reference id and replaced characters outside
``[A-Za-z0-9_.-]`` by ``_``: ``jan/batch`` was kept as ``files/jan_batch.x12`` and sent
as ``jan_batch.837``. Such an entry, left pending by a failed upload, must still be
retried (once, under that name, with the kept bytes) and listed; a new submission
still meets today's rule. The ledger here is written the way that version wrote it.
"""

from __future__ import annotations

import hashlib
import json
import re
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from portwright.cli import app
from portwright.entities.claim import Claim
from portwright.exceptions import SubmissionError
from portwright.submission import (
    Delivery,
    SftpChannel,
    SftpSettings,
    SubmissionLedger,
    submit_claims,
)
from portwright.submission.ledger import LedgerEntry
from portwright.testing.claims import make_claim, make_submitter
from portwright.testing.services.sshd import SshdServer
from portwright.x12.build837 import build_837p
from portwright.x12.envelope import CounterControlNumbers, EnvelopeConfig

pytestmark = pytest.mark.services

CONFIG = EnvelopeConfig(sender_id="CASC01", receiver_id="CLEARHOUSE01")
ENV = {"COLUMNS": "200"}

#: ``_SAFE`` of the earlier ``ledger.py`` and ``submit.py`` (git show af15446^:...).
_OLD_SAFE = re.compile(r"[^A-Za-z0-9_.-]")


def _digest(content: bytes) -> str:
    return "sha256:" + hashlib.sha256(content).hexdigest()


def _write_old_pending_entry(directory: Path, reference_id: str, claims: list[Claim]
                             ) -> bytes:
    """Record ``reference_id`` as pending, as the earlier version did after an upload
    failed: the kept file under its rewritten name, an entry without a settings digest.
    Returns the kept bytes (interchange 000000041, not what a rebuild would number)."""
    content = build_837p(claims, make_submitter(), CONFIG,
                         numbers=CounterControlNumbers(interchange=40, group=40),
                         now=datetime(2026, 2, 2, 9, 30, tzinfo=UTC)).text.encode("ascii")
    (directory / "files").mkdir(parents=True)
    (directory / "files" / (_OLD_SAFE.sub("_", reference_id) + ".x12")).write_bytes(content)
    payload = json.dumps([c.to_json_dict() for c in claims], sort_keys=True).encode()
    entry = {
        "referenceId": reference_id, "status": "pending", "channel": "sftp",
        "filename": _OLD_SAFE.sub("_", reference_id).lstrip(".") + ".837",
        "payloadDigest": _digest(payload), "fileDigest": _digest(content),
        "size": len(content), "location": None, "createdAt": "2026-02-02T09:30:00Z",
        "deliveredAt": None, "attempts": 1,
    }
    (directory / "ledger.json").write_text(json.dumps({reference_id: entry}, indent=2))
    return content


class CountingChannel:
    """A real SFTP channel that counts the uploads it makes."""

    def __init__(self, inner: SftpChannel) -> None:
        self.inner = inner
        self.name = inner.name
        self.uploads = 0

    def deliver(self, filename: str, content: bytes) -> Delivery:
        self.uploads += 1
        return self.inner.deliver(filename, content)

    def already_delivered(self, filename: str, content: bytes) -> Delivery | None:
        return self.inner.already_delivered(filename, content)


def _channel(sshd: SshdServer, drop: Path) -> CountingChannel:
    return CountingChannel(SftpChannel(SftpSettings(
        host=sshd.host, port=sshd.port, username=sshd.username,
        key_path=sshd.client_key_path, remote_dir=str(drop),
        host_key=sshd.host_public_key)))


def test_an_old_pending_entry_is_delivered_once_under_its_old_name(
        sshd: SshdServer, sftp_drop: Path, tmp_path: Path) -> None:
    ledger = SubmissionLedger(tmp_path / "submissions")
    claims = [make_claim("CLM-L1")]
    kept = _write_old_pending_entry(ledger.directory, "jan/batch", claims)
    channel = _channel(sshd, sftp_drop)
    first = submit_claims("jan/batch", claims, make_submitter(), CONFIG, channel, ledger,
                          numbers=CounterControlNumbers(interchange=900, group=900))
    assert not first.duplicate and first.entry.status == "delivered"
    assert [p.name for p in sftp_drop.iterdir()] == ["jan_batch.837"]
    assert (sftp_drop / "jan_batch.837").read_bytes() == kept  # the kept bytes, not rebuilt
    assert not (ledger.directory / "files" / "jan_batch.x12").exists()  # PHI gone
    again = submit_claims("jan/batch", claims, make_submitter(), CONFIG, channel, ledger)
    assert again.duplicate
    assert channel.uploads == 1
    assert [p.name for p in sftp_drop.iterdir()] == ["jan_batch.837"]
    # New submissions still meet the rule, and cannot take the old entry's names.
    with pytest.raises(SubmissionError, match="cannot be used as a file name"):
        submit_claims("feb/batch", [make_claim("CLM-L2")], make_submitter(), CONFIG,
                      channel, ledger)
    with pytest.raises(SubmissionError, match="only in letter case"):
        submit_claims("JAN_batch", [make_claim("CLM-L3")], make_submitter(), CONFIG,
                      channel, ledger)
    assert channel.uploads == 1


def test_an_old_pending_entry_whose_file_already_landed_is_not_sent_again(
        sshd: SshdServer, sftp_drop: Path, tmp_path: Path) -> None:
    """The earlier version lost the connection after the rename: the file is on the
    server, the entry still pending."""
    ledger = SubmissionLedger(tmp_path / "submissions")
    claims = [make_claim("CLM-L4")]
    kept = _write_old_pending_entry(ledger.directory, ".jan batch", claims)
    (sftp_drop / "jan_batch.837").write_bytes(kept)
    channel = _channel(sshd, sftp_drop)
    receipt = submit_claims(".jan batch", claims, make_submitter(), CONFIG, channel, ledger)
    assert receipt.duplicate and receipt.entry.status == "delivered"
    assert channel.uploads == 0
    assert [p.name for p in sftp_drop.iterdir()] == ["jan_batch.837"]
    assert not (ledger.directory / "files" / "_jan_batch.x12").exists()


def test_a_new_id_that_would_reuse_an_old_entry_s_kept_file_is_refused(
        tmp_path: Path, sshd: SshdServer, sftp_drop: Path) -> None:
    """``jan/batch`` kept ``jan_batch.x12``; a new ``jan_batch`` sent as a ``.txt`` file
    would have overwritten it (the file names on the server differ, the kept ones not)."""
    from portwright.submission import submit_file

    ledger = SubmissionLedger(tmp_path / "submissions")
    kept = _write_old_pending_entry(ledger.directory, "jan/batch", [make_claim("CLM-L5")])
    channel = _channel(sshd, sftp_drop)
    with pytest.raises(SubmissionError, match="only in letter case"):
        submit_file("jan_batch", b"ISA*other~", channel, ledger, suffix=".txt")
    assert (ledger.directory / "files" / "jan_batch.x12").read_bytes() == kept
    assert channel.uploads == 0


def test_claims_status_lists_an_old_entry_and_claims_submit_retries_it(
        sshd: SshdServer, sftp_drop: Path, tmp_path: Path) -> None:
    claims = [make_claim("CLM-L6")]
    src = tmp_path / "claims.json"
    src.write_text(json.dumps({"submitter": make_submitter().to_json_dict(),
                               "claims": [c.to_json_dict() for c in claims]}))
    state = tmp_path / "state"
    kept = _write_old_pending_entry(state / "submissions", "jan/batch", claims)
    runner = CliRunner()
    listed = runner.invoke(app, ["claims", "status", "--state", str(state)], env=ENV)
    assert listed.exit_code == 0, listed.output
    assert listed.stdout.split()[:3] == ["jan/batch", "pending", "jan_batch.837"]

    def submit(reference_id: str) -> Result:
        return runner.invoke(app, [
            "claims", "submit", str(src), "--reference-id", reference_id,
            "--sftp-host", sshd.host, "--sftp-port", str(sshd.port),
            "--sftp-user", sshd.username, "--key", str(sshd.client_key_path),
            "--host-key", sshd.host_public_key, "--remote-dir", str(sftp_drop),
            "--state", str(state)], env=ENV)

    first = submit("jan/batch")
    assert first.exit_code == 0, first.output
    assert "jan/batch: delivered" in first.stdout
    assert [p.name for p in sftp_drop.iterdir()] == ["jan_batch.837"]
    assert (sftp_drop / "jan_batch.837").read_bytes() == kept
    again = submit("jan/batch")
    assert again.exit_code == 0 and "already submitted" in again.stdout
    assert [p.name for p in sftp_drop.iterdir()] == ["jan_batch.837"]
    shown = runner.invoke(app, ["claims", "status", "--state", str(state),
                                "--reference-id", "jan/batch", "--json"], env=ENV)
    assert shown.exit_code == 0, shown.output
    [entry] = json.loads(shown.stdout)
    assert (entry["referenceId"], entry["status"], entry["attempts"]) == (
        "jan/batch", "delivered", 2)
    new = submit("feb/batch")
    assert new.exit_code == 2
    assert "cannot be used as a file name" in new.output
    assert [p.name for p in sftp_drop.iterdir()] == ["jan_batch.837"]


def test_a_damaged_ledger_is_named_not_a_traceback(tmp_path: Path) -> None:
    src = tmp_path / "claims.json"
    src.write_text(json.dumps({"submitter": make_submitter().to_json_dict(),
                               "claims": [make_claim("CLM-L7").to_json_dict()]}))
    key = tmp_path / "id_ed25519"
    key.write_text("not used: the ledger is read first\n")
    ledger = tmp_path / "state" / "submissions" / "ledger.json"
    ledger.parent.mkdir(parents=True)
    runner = CliRunner()
    for damage in ('{"batch-1": {"referenceId": "batch-1"', '["batch-1"]',
                   '{"batch-1": {"status": "lost"}}'):
        ledger.write_text(damage)
        for args in (["claims", "status"], [
                "claims", "submit", str(src), "--reference-id", "batch-2",
                "--sftp-host", "127.0.0.1", "--sftp-user", "u", "--key", str(key),
                "--host-key", "ssh-ed25519 AAAA", "--remote-dir", "/drop"]):
            result = runner.invoke(app, [*args, "--state", str(tmp_path / "state")], env=ENV)
            assert result.exit_code == 1, (damage, result.output)
            assert result.exception is None or isinstance(result.exception, SystemExit)
            assert f"the submission ledger {ledger} is damaged" in result.stderr
            if damage.startswith('{"batch-1": {"status"'):  # which entry, which field
                assert "entry 'batch-1', referenceId: Field required" in result.stderr


def test_kept_claims_files_and_the_ledger_are_the_owners_only(tmp_path: Path) -> None:
    """A kept claims file is PHI (names, birth dates, diagnoses) waiting for a retry; the
    ledger names every submission. Both were written with the umask's modes (0644 in a
    0755 folder), readable by any local user."""
    ledger = SubmissionLedger(tmp_path / "state" / "submissions")
    with ledger.locked():
        kept = ledger.keep_file("batch-1", b"ISA*00*...~")
        ledger.put(LedgerEntry(
            reference_id="batch-1", status="pending", channel="sftp",
            filename="batch-1.837", payload_digest=ledger.digest(b"x"),
            file_digest=ledger.digest(b"x"), size=1,
            created_at=datetime(2026, 12, 3, 12, 0, tzinfo=UTC)))
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(ledger.path.stat().st_mode) == 0o600
    for folder in (kept.parent, ledger.directory):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert kept.read_bytes() == b"ISA*00*...~"
