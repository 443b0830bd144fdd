"""SFTP uploads whose connection is cut or stalls mid-transfer, against a real OpenSSH sshd.

A TCP relay we control sits between the client and sshd and cuts (or freezes) the
connection once the client has sent a given number of bytes, as a dropped VPN, a NAT
timeout or a crashing server would. The rule under test: a failed submission leaves
nothing half-written at the destination and never two files for one submission; the
retry delivers exactly once, and a run after success sends nothing.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from portwright.exceptions import SubmissionError
from portwright.submission import SftpChannel, SftpSettings, SubmissionLedger, submit_file
from portwright.testing.services.sshd import SshdServer

pytestmark = pytest.mark.services

#: About 1 MB: the upload takes many SFTP writes, so a cut at 300 kB lands mid-file,
#: well after the handshake and login (a few kB).
CONTENT = b"ISA*00*" + b"CLM*1*120~" * 100_000 + b"IEA*1*000000001~"
MID_FILE = 300_000


class CuttingRelay:
    """Forwards loopback TCP connections to sshd; once a connection's client has sent
    more than ``limit`` bytes (with ``downstream``: has been sent) it is cut (both sides
    closed) or, with ``stall``, frozen (nothing more is forwarded, the sockets stay
    open). With ``refuse_after_cut`` the relay takes no new connection after its first
    cut: the server is unreachable."""

    def __init__(self, target: tuple[str, int], limit: int, *, stall: bool = False,
                 refuse_after_cut: bool = False, downstream: bool = False) -> None:
        self.target = target
        self.limit = limit
        self.stall = stall
        self.downstream = downstream
        self.refuse_after_cut = refuse_after_cut
        self.cuts = 0
        self._stopped = threading.Event()
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.refuse_after_cut and self.cuts:
                client.close()
                continue
            server = socket.create_connection(self.target)
            with self._lock:
                self._sockets += [client, server]
            threading.Thread(target=self._pass, args=(client, server, not self.downstream),
                             daemon=True).start()
            threading.Thread(target=self._pass, args=(server, client, self.downstream),
                             daemon=True).start()

    def _pass(self, source: socket.socket, sink: socket.socket, limited: bool) -> None:
        sent = 0
        try:
            while data := source.recv(65536):
                if limited and sent + len(data) > self.limit:
                    sink.sendall(data[:self.limit - sent])
                    self.cuts += 1
                    if self.stall:
                        self._stopped.wait()  # frozen until the test ends
                    break
                sink.sendall(data)
                sent += len(data)
        except OSError:
            pass
        if limited:
            self._close(source, sink)

    @staticmethod
    def _close(*sockets: socket.socket) -> None:
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def stop(self) -> None:
        self._stopped.set()
        self._listener.close()
        with self._lock:
            self._close(*self._sockets)


@pytest.fixture
def relays(sshd: SshdServer) -> Iterator[list[CuttingRelay]]:
    made: list[CuttingRelay] = []
    yield made
    for relay in made:
        relay.stop()


def _relay(sshd: SshdServer, relays: list[CuttingRelay], limit: int, **kwargs: bool
           ) -> CuttingRelay:
    relay = CuttingRelay((sshd.host, sshd.port), limit, **kwargs)
    relays.append(relay)
    return relay


def _channel(sshd: SshdServer, drop: Path, port: int | None = None,
             timeout_s: float = 15.0) -> SftpChannel:
    return SftpChannel(SftpSettings(
        host=sshd.host, port=port or sshd.port, username=sshd.username,
        key_path=sshd.client_key_path, remote_dir=str(drop),
        host_key=sshd.host_public_key, timeout_s=timeout_s))


def _names(drop: Path) -> list[str]:
    return sorted(p.name for p in drop.iterdir())


def test_a_connection_cut_mid_file_leaves_nothing_and_the_retry_delivers_once(
        sshd: SshdServer, sftp_drop: Path, relays: list[CuttingRelay],
        tmp_path: Path) -> None:
    """The cut connection cannot remove its own part file; it used to stay on the
    server (PHI, beside the real file after the retry) while the error said
    'the partial file was removed'."""
    ledger = SubmissionLedger(tmp_path / "submissions")
    relay = _relay(sshd, relays, MID_FILE)
    with pytest.raises(SubmissionError, match=r"upload of ref-cut\.837 .* failed") as info:
        submit_file("ref-cut", CONTENT, _channel(sshd, sftp_drop, relay.port), ledger)
    assert relay.cuts == 1
    assert _names(sftp_drop) == []  # no final name, no part file
    assert "the partial file was removed" in str(info.value)
    entry = ledger.get("ref-cut")
    assert entry is not None and entry.status == "pending"

    direct = _channel(sshd, sftp_drop)
    receipt = submit_file("ref-cut", CONTENT, direct, ledger)
    assert not receipt.duplicate and receipt.entry.status == "delivered"
    assert _names(sftp_drop) == ["ref-cut.837"]
    assert (sftp_drop / "ref-cut.837").read_bytes() == CONTENT

    again = submit_file("ref-cut", CONTENT, direct, ledger)
    assert again.duplicate
    assert _names(sftp_drop) == ["ref-cut.837"]
    assert ledger.get("ref-cut").attempts == 2  # type: ignore[union-attr]


def test_a_part_file_the_cut_could_not_remove_is_removed_by_the_retry(
        sshd: SshdServer, sftp_drop: Path, relays: list[CuttingRelay],
        tmp_path: Path) -> None:
    """The server stays unreachable after the cut, so nothing can clean up at once: the
    error says the part may remain, and the retry leaves exactly one file."""
    ledger = SubmissionLedger(tmp_path / "submissions")
    relay = _relay(sshd, relays, MID_FILE, refuse_after_cut=True)
    with pytest.raises(SubmissionError) as info:
        submit_file("ref-gone", CONTENT, _channel(sshd, sftp_drop, relay.port), ledger)
    [part] = _names(sftp_drop)
    assert part.startswith(".ref-gone.837.") and part.endswith(".part")
    assert (sftp_drop / part).stat().st_size < len(CONTENT)
    assert part in str(info.value) and "may remain" in str(info.value)

    receipt = submit_file("ref-gone", CONTENT, _channel(sshd, sftp_drop), ledger)
    assert not receipt.duplicate
    assert _names(sftp_drop) == ["ref-gone.837"]
    assert (sftp_drop / "ref-gone.837").read_bytes() == CONTENT


def test_part_files_of_other_names_are_left_alone(
        sshd: SshdServer, sftp_drop: Path, tmp_path: Path) -> None:
    """Only this file's own leftovers are removed: another upload's part file, or a file
    that merely looks similar, is not ours to delete."""
    others = [".ref-other.837.0a1b2c3d.part", ".ref-mine.837.notmine.part",
              "ref-mine.837.0a1b2c3d.part"]
    for name in others:
        (sftp_drop / name).write_bytes(b"someone else's")
    (sftp_drop / ".ref-mine.837.0a1b2c3d.part").write_bytes(CONTENT[:1000])
    submit_file("ref-mine", CONTENT, _channel(sshd, sftp_drop),
                SubmissionLedger(tmp_path / "submissions"))
    assert _names(sftp_drop) == sorted([*others, "ref-mine.837"])


def test_a_connection_dropped_during_the_handshake_is_a_submission_error(
        sshd: SshdServer, sftp_drop: Path, relays: list[CuttingRelay],
        tmp_path: Path) -> None:
    """paramiko reports a dropped connection as a bare EOFError, which reached the user
    as a traceback instead of a message saying nothing was sent."""
    ledger = SubmissionLedger(tmp_path / "submissions")
    relay = _relay(sshd, relays, 600)  # the client's key exchange offer alone is more
    with pytest.raises(SubmissionError, match="nothing was sent"):
        submit_file("ref-early", CONTENT, _channel(sshd, sftp_drop, relay.port), ledger)
    assert relay.cuts >= 1
    assert _names(sftp_drop) == []
    entry = ledger.get("ref-early")
    assert entry is not None and entry.status == "pending"


def test_a_connection_that_stalls_mid_file_fails_within_the_timeout(
        sshd: SshdServer, sftp_drop: Path, relays: list[CuttingRelay],
        tmp_path: Path) -> None:
    """The timeout bounded only the connect: a connection that stopped moving mid-file
    waited for ever, holding the ledger's lock so no other submission could run."""
    ledger = SubmissionLedger(tmp_path / "submissions")
    relay = _relay(sshd, relays, MID_FILE, stall=True)
    channel = _channel(sshd, sftp_drop, relay.port, timeout_s=2.0)
    outcome: list[BaseException] = []

    def submit() -> None:
        try:
            submit_file("ref-stall", CONTENT, channel, ledger)
        except BaseException as exc:  # handed to the test thread
            outcome.append(exc)

    worker = threading.Thread(target=submit, daemon=True)
    started = time.monotonic()
    worker.start()
    worker.join(timeout=30)  # a bound for the test, far above the channel's own
    assert not worker.is_alive(), "the upload still hangs on the stalled connection"
    assert time.monotonic() - started < 20
    [error] = outcome
    assert isinstance(error, SubmissionError)
    assert "ref-stall.837" in str(error) and "timed out" in str(error)
    assert relay.cuts == 1
    assert _names(sftp_drop) == []  # the part was removed over a new connection
    receipt = submit_file("ref-stall", CONTENT, _channel(sshd, sftp_drop), ledger)
    assert not receipt.duplicate and _names(sftp_drop) == ["ref-stall.837"]


def test_a_cut_while_looking_for_an_earlier_delivery_sends_nothing(
        sshd: SshdServer, sftp_drop: Path, relays: list[CuttingRelay],
        tmp_path: Path) -> None:
    """The retry after a lost confirmation reads the file already there; a cut during
    that read surfaced as paramiko's own SSHException, not a SubmissionError."""
    (sftp_drop / "ref-read.837").write_bytes(CONTENT)  # landed; the ledger did not hear
    ledger = SubmissionLedger(tmp_path / "submissions")
    relay = _relay(sshd, relays, MID_FILE, downstream=True)
    with pytest.raises(SubmissionError, match=r"cannot read .*ref-read\.837.*nothing was sent"):
        submit_file("ref-read", CONTENT, _channel(sshd, sftp_drop, relay.port), ledger)
    assert relay.cuts == 1
    assert _names(sftp_drop) == ["ref-read.837"]
    receipt = submit_file("ref-read", CONTENT, _channel(sshd, sftp_drop), ledger)
    assert receipt.duplicate and _names(sftp_drop) == ["ref-read.837"]
