"""Encrypted secrets, saved sessions and refusal records on disk: a write that fails
leaves the old file and no stray temporary file, concurrent writers never leave a file
that does not decrypt, new folders are the owner's only, and files written by earlier
versions still read. Failures are real ones (a file-size limit makes the write fail
with EFBIG, as a full disk would); writers are real threads and processes."""

from __future__ import annotations

import errno
import json
import multiprocessing
import resource
import signal
import stat
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet

from portwright.auth.credentials import EncryptedFileSource
from portwright.auth.credentials.naming import SecretKey
from portwright.auth.mfa.totp_ledger import TotpLedger
from portwright.auth.sessions import SavedSession, SessionVault, StorageSnapshot
from portwright.auth.sessions.fingerprint import Fingerprint
from portwright.auth.sessions.refusals import RefusedLogins
from portwright.exceptions import LoginFailed

#: A Fernet key for these tests only (base64 of "portwright-test-key-not-a-secret").
TEST_KEY = b"cG9ydHdyaWdodC10ZXN0LWtleS1ub3QtYS1zZWNyZXQ="

# Written with TEST_KEY by the code before write_private_file existed.
OLD_SECRETS = (
    b"gAAAAABrEVvY3UJW9IErViB0X37XaQOkfMxQzWy8P5LtKZdlptLTUplZ5kA1skI3hBV_JdIrW_PgdIC92xASOn"
    b"e4MJSCATEeJtbEjRF-zTqFeVpk749hEdHFIz0ok5wTJnI2sj9LxXVmHhigzsEL9KXc7zy9yxpbjNHE0FhUGAdtY"
    b"-GO4lbiThY=")
OLD_SESSION = (
    b"gAAAAABrEVvZ2HBhuoxw7Mg804K7F-65cewW9wnr6S1HIH43ldtH-qX7Bk0Rc2gD7E4VQjAXGaEEE6shVuES0i"
    b"_uy3fE875vAJEQaW6Ql-qYgZYxqbbsm4PpRukPXAf43fqSNGLrSRYX1GidFVfh8m9_cUy8woJBispi9nMsslpC4"
    b"Ltc1Me6Pqaeej7GfOyXB4uUrwkmbyd-ECZYCCpNxG8p8jsxEg-AsWJzL-3wRGcRipT9RGQTQ8o8GYYP-SQqHXacc"
    b"AdVbvTcxPWaxh-lQXKzw-2ATqTXTd0DEW1JQo8aJSb2Pu5dYVR16GfXUyZm242wImqX3aNUVv2hkFMeRUweIOn1b"
    b"QxfdmFH-RjgdW8KTb7Gf672NUVn-O8I8NSbTJJIfrZXwy5wcEvkC0YoNxsZ5zY3UoD4qEk3S7zmeQ1RMHgsqCp96"
    b"6Q=")
OLD_REFUSAL = (
    b"gAAAAABrEVvZY9OsRyBqCQNCMKritxhySYdB9mDwB2k6qbRy5KCTEG_qDWvt1FzCGl3iCjpYDrAQFC2UShwr6U"
    b"_1N43SJ8R3DJU4R-XkX-ZEwUUG-hLk8-2bFC0NuMrHbseiTiu5AeU6nkFInnObtwDlwZhfE0clQ0G0JGF56tr4cT"
    b"cK6PPPYe6RJ8ROnRn7ACyGQ9R-vRp_ArPT3gnsci2ZOXlCwi9BZe-NCmayQsrRQARsv8kfYhvzfIcgTpXxGAAwca"
    b"TWmmChEA_iSepD5WCIkhZwY21eEyDCoWCnO3-bO-FVvWeeQvk=")
OLD_REFUSED_CREDENTIALS = {"username": "biller", "password": "Wrong-1"}


def _fernet() -> Fernet:
    return Fernet(TEST_KEY)


def _session(value: str, saved_at: float) -> SavedSession:
    snapshot = StorageSnapshot(storage_state={"cookies": [{"name": "sid", "value": value}],
                                              "origins": []})
    return SavedSession("valant", "admin", snapshot, saved_at=saved_at)


def _stray(folder: Path) -> list[str]:
    """Files a write left behind besides the record itself and its lock."""
    return sorted(p.name for p in folder.iterdir()
                  if not p.name.endswith((".lock", ".session", ".refused", ".fernet")))


def _fail_like_a_full_disk(write: Callable[[], object]) -> None:
    """Run ``write`` in this (forked) process with a 16-byte file-size limit, so that
    writing the file fails midway with EFBIG; exit 0 only if it failed that way."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a killed process
    resource.setrlimit(resource.RLIMIT_FSIZE, (16, 16))
    try:
        write()
    except OSError as exc:
        sys.exit(0 if exc.errno == errno.EFBIG else 4)
    sys.exit(3)  # the write went through: the limit did not bite


def _in_a_process_with_a_full_disk(write: Callable[[], object]) -> None:
    ctx = multiprocessing.get_context("fork")  # the write is a closure of this test
    proc = ctx.Process(target=_fail_like_a_full_disk, args=(write,))
    proc.start()
    proc.join(60)
    assert proc.exitcode == 0, f"the write did not fail with EFBIG (exit {proc.exitcode})"


def test_files_written_by_earlier_versions_still_read(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.fernet"
    secrets.write_bytes(OLD_SECRETS)
    source = EncryptedFileSource(secrets, _fernet)
    assert source.get(SecretKey("valant", "password", account="admin")) == "old-pass-1"

    state = tmp_path / "state"
    vault = SessionVault(state, _fernet)
    vault.path("valant", "admin").parent.mkdir(parents=True)
    vault.path("valant", "admin").write_bytes(OLD_SESSION)
    loaded = vault.load("valant", "admin")
    assert loaded is not None
    assert (loaded.saved_at, loaded.checked_at, loaded.portal_version) == (
        1700000000.0, 1700000100.0, "2026.1")
    assert loaded.snapshot.storage_state["cookies"] == [{"name": "sid", "value": "abc"}]

    refusals = RefusedLogins(state, _fernet)
    refusals.path("valant", "biller").parent.mkdir(parents=True)
    refusals.path("valant", "biller").write_bytes(OLD_REFUSAL)
    with pytest.raises(LoginFailed, match="not trying them again"):
        refusals.check("valant", "biller", OLD_REFUSED_CREDENTIALS)

    # and what this version writes, earlier versions' readers read the same way
    source.set(SecretKey("valant", "username", account="admin"), "admin")
    plain = _fernet().decrypt(secrets.read_bytes().strip())
    assert plain.startswith(b'{"version": 1, "secrets": {')


def test_a_failed_session_write_keeps_the_old_session_and_no_temporary_file(
        tmp_path: Path) -> None:
    vault = SessionVault(tmp_path, _fernet)
    vault.save(_session("old", saved_at=1.0))
    _in_a_process_with_a_full_disk(lambda: vault.save(_session("new", saved_at=2.0)))
    kept = vault.load("valant", "admin")
    assert kept is not None and kept.saved_at == 1.0
    assert kept.snapshot.storage_state["cookies"][0]["value"] == "old"
    assert _stray(vault.path("valant", "admin").parent) == []


def test_a_failed_refusal_write_keeps_the_old_record_and_no_temporary_file(
        tmp_path: Path) -> None:
    refusals = RefusedLogins(tmp_path, _fernet)
    first = {"username": "biller", "password": "Wrong-1"}
    refusals.record("valant", "biller", first)
    _in_a_process_with_a_full_disk(
        lambda: refusals.record("valant", "biller", {**first, "password": "Wrong-2"}))
    with pytest.raises(LoginFailed):  # the first refusal is still remembered
        refusals.check("valant", "biller", first)
    assert _stray(refusals.path("valant", "biller").parent) == []


def test_a_failed_secrets_write_keeps_the_old_secrets_and_no_temporary_file(
        tmp_path: Path) -> None:
    path = tmp_path / "secrets.fernet"
    EncryptedFileSource(path, _fernet).set(SecretKey("valant", "password"), "one")
    _in_a_process_with_a_full_disk(
        lambda: EncryptedFileSource(path, _fernet).set(SecretKey("valant", "password"), "two"))
    assert EncryptedFileSource(path, _fernet).get(SecretKey("valant", "password")) == "one"
    assert _stray(tmp_path) == []


def test_a_failed_totp_ledger_write_keeps_the_last_step_and_no_temporary_file(
        tmp_path: Path) -> None:
    ledger = TotpLedger(tmp_path)
    ledger.record("valant", "admin", 58_000_000)
    _in_a_process_with_a_full_disk(lambda: ledger.record("valant", "admin", 58_000_001))
    # the ledger still parses: the next TOTP login is not stopped by a torn file
    assert ledger.last_step("valant", "admin") == 58_000_000
    folder = tmp_path / "mfa" / "totp" / "valant"
    assert sorted(p.suffix for p in folder.iterdir()) == [".json"]

def test_new_folders_are_the_owners_only_and_existing_ones_keep_their_mode(
        tmp_path: Path) -> None:
    """``refused/<portal>`` names the accounts that failed; others must not list it."""
    state = tmp_path / "state"
    state.mkdir(mode=0o750)
    state.chmod(0o750)
    refusals = RefusedLogins(state, _fernet)
    refusals.record("valant", "biller", {"password": "Wrong-1"})
    path = refusals.path("valant", "biller")

    def mode(p: Path) -> int:
        return stat.S_IMODE(p.stat().st_mode)

    assert (mode(path), mode(path.parent), mode(path.parent.parent)) == (0o600, 0o700, 0o700)
    assert mode(state) == 0o750


def _record_many(state: str, worker: int, start: Any, count: int) -> None:
    refusals = RefusedLogins(Path(state), _fernet)
    start.wait()
    for i in range(count):
        refusals.record("valant", "biller", {"password": f"Wrong-{worker}-{i}"})


def test_writers_in_two_processes_never_leave_a_file_that_does_not_decrypt(
        tmp_path: Path) -> None:
    """Two runs of one account refused at the same moment: while they write, every read
    of the record decrypts, and afterwards it holds one of the two."""
    refusals = RefusedLogins(tmp_path, _fernet)
    path = refusals.path("valant", "biller")
    ctx = multiprocessing.get_context("fork")
    start = ctx.Event()
    count = 200
    procs = [ctx.Process(target=_record_many, args=(str(tmp_path), w, start, count))
             for w in (1, 2)]
    for proc in procs:
        proc.start()
    start.set()
    reads = 0
    while any(p.is_alive() for p in procs):
        if path.exists():
            _fernet().decrypt(path.read_bytes())  # InvalidToken on a torn file
            reads += 1
    for proc in procs:
        proc.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    assert reads > 0
    record = json.loads(_fernet().decrypt(path.read_bytes()))
    fingerprint = Fingerprint.from_json(record["credentials"])
    assert fingerprint is not None
    assert [fingerprint.matches({"password": f"Wrong-{w}-{count - 1}"}) for w in (1, 2)
            ].count(True) == 1  # the last record of one of the two writers
    assert _stray(path.parent) == []


def test_writers_sharing_a_process_id_never_clobber_each_others_file(
        tmp_path: Path) -> None:
    """Writers with one process id (threads of one process; processes in two containers
    sharing the state folder) used one temporary name: one truncated and renamed away
    the other's file (FileNotFoundError, a torn record, a stray temporary file)."""
    refusals = RefusedLogins(tmp_path, _fernet)
    path = refusals.path("valant", "biller")
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        start.wait()
        try:
            for i in range(300):
                refusals.record("valant", "biller", {"password": f"Wrong-{worker}-{i}"})
                _fernet().decrypt(path.read_bytes())
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    assert _stray(path.parent) == []
