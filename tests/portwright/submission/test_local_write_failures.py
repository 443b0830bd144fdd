"""``portwright claims submit`` when the local state folder cannot take a write.

The command runs as its own process under a file size limit (``RLIMIT_FSIZE``): the
kernel then fails each write past the limit (``EFBIG``) the way a full disk fails it
(``ENOSPC``), through the same code path. The rule: a clear error naming what could not
be written, no traceback, nothing sent, no file left half-written or orphaned, and the
same command succeeds once there is room, delivering exactly once.
"""

from __future__ import annotations

import json
import resource
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from portwright.submission import LedgerEntry, SubmissionLedger
from portwright.testing.claims import make_claim, make_submitter
from portwright.testing.services.sshd import SshdServer

pytestmark = pytest.mark.services

PORTWRIGHT = Path(sys.executable).parent / "portwright"


def _claims_file(path: Path, count: int) -> Path:
    body = {"submitter": make_submitter().to_json_dict(),
            "claims": [make_claim(f"CLM-LW-{i}").to_json_dict() for i in range(count)]}
    path.write_text(json.dumps(body))
    return path


def _submit(args: list[str], cwd: Path, file_size_limit: int | None = None
            ) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        if file_size_limit is not None:
            # a write past the limit fails with EFBIG instead of killing the process
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE,
                               (file_size_limit, resource.RLIM_INFINITY))

    # no bytecode writes: under the limit Python would leave truncated .pyc files behind
    env = {"PATH": "/usr/bin:/bin", "COLUMNS": "200", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([str(PORTWRIGHT), "claims", "submit", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120, preexec_fn=limit,
                          env=env, check=False)


def _args(sshd: SshdServer, drop: Path, claims: Path, state: Path, reference: str
          ) -> list[str]:
    return [str(claims), "--reference-id", reference, "--sftp-host", sshd.host,
            "--sftp-port", str(sshd.port), "--sftp-user", sshd.username,
            "--key", str(sshd.client_key_path), "--host-key", sshd.host_public_key,
            "--remote-dir", str(drop), "--state", str(state)]


def _leftovers(state: Path) -> list[str]:
    """Files in the submissions folder other than the ledger and its lock."""
    folder = state / "submissions"
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                  if p.is_file() and p.name not in ("ledger.json", "ledger.json.lock"))


def test_no_room_for_the_claims_file_is_a_clear_error_and_nothing_is_sent(
        sshd: SshdServer, sftp_drop: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    claims = _claims_file(tmp_path / "claims.json", 8)  # an 837P of a few kB
    args = _args(sshd, sftp_drop, claims, state, "local-full")
    failed = _submit(args, tmp_path, file_size_limit=1024)  # the control-number file fits
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Traceback" not in failed.stderr
    assert "local-full.x12" in failed.stderr and "nothing was sent" in failed.stderr
    assert _leftovers(state) == []  # no half-written claims file, no temporary
    assert SubmissionLedger(state / "submissions").get("local-full") is None
    assert list(sftp_drop.iterdir()) == []

    done = _submit(args, tmp_path)
    assert done.returncode == 0, done.stderr
    assert [p.name for p in sftp_drop.iterdir()] == ["local-full.837"]
    again = _submit(args, tmp_path)
    assert again.returncode == 0 and "already submitted" in again.stdout
    assert [p.name for p in sftp_drop.iterdir()] == ["local-full.837"]


def test_no_room_for_the_ledger_leaves_no_orphaned_claims_file(
        sshd: SshdServer, sftp_drop: Path, tmp_path: Path) -> None:
    """The claims file fits but the ledger naming it does not: the kept file (PHI) then
    stayed behind with no entry that would ever delete it."""
    state = tmp_path / "state"
    ledger = SubmissionLedger(state / "submissions")
    for i in range(40):  # a ledger of earlier submissions, larger than the limit below
        ledger.put(LedgerEntry(
            reference_id=f"earlier-{i}", status="delivered", channel="sftp",
            filename=f"earlier-{i}.837", payload_digest="sha256:" + "0" * 64,
            file_digest="sha256:" + "1" * 64, size=100,
            location=f"/inbound/earlier-{i}.837", created_at=datetime.now(UTC),
            delivered_at=datetime.now(UTC), attempts=1))
    assert ledger.path.stat().st_size > 8192
    claims = _claims_file(tmp_path / "claims.json", 1)
    args = _args(sshd, sftp_drop, claims, state, "ledger-full")
    failed = _submit(args, tmp_path, file_size_limit=8192)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Traceback" not in failed.stderr
    assert "ledger.json" in failed.stderr and "nothing was sent" in failed.stderr
    assert _leftovers(state) == []
    assert ledger.get("ledger-full") is None and len(ledger.entries()) == 40
    assert list(sftp_drop.iterdir()) == []

    done = _submit(args, tmp_path)
    assert done.returncode == 0, done.stderr
    assert [p.name for p in sftp_drop.iterdir()] == ["ledger-full.837"]
