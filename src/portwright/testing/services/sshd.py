"""A throwaway OpenSSH sshd with the SFTP subsystem on loopback, for submission tests.

``SshdServer`` generates a temporary host key and a client key, writes an sshd_config
into a temporary directory, and runs the real ``/usr/sbin/sshd`` in the foreground on a
free loopback port (so it is our child and stops with us). Only key authentication is
enabled. ``drop_dir`` is the clearinghouse drop the tests upload into.

    with SshdServer() as sshd:
        paramiko.Transport((sshd.host, sshd.port)).connect(
            username=sshd.username, pkey=sshd.client_key())
"""

from __future__ import annotations

import getpass
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

import paramiko

__all__ = ["SSHD_BINARY", "SshdError", "SshdServer", "sshd_available"]

SSHD_BINARY = "/usr/sbin/sshd"
_START_TIMEOUT_S = 10.0


class SshdError(RuntimeError):
    """sshd is missing or did not start."""


def sshd_available() -> bool:
    return Path(SSHD_BINARY).exists() and shutil.which("ssh-keygen") is not None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _greets(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            return s.recv(8).startswith(b"SSH-")
    except OSError:
        return False


class SshdServer:
    """Real sshd on ``127.0.0.1:port`` accepting ``client_key()`` for ``username``."""

    host = "127.0.0.1"

    def __init__(self, root: Path | None = None) -> None:
        self._own_root = root is None
        self.root = Path(root) if root is not None else Path(tempfile.mkdtemp(prefix="sshd-"))
        self.port = 0
        self.username = getpass.getuser()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def drop_dir(self) -> Path:
        """Where clearinghouse uploads land (an absolute path on the server)."""
        return self.root / "drop"

    @property
    def client_key_path(self) -> Path:
        return self.root / "client_key"

    @property
    def host_public_key(self) -> str:
        """The host key line (``ssh-ed25519 AAAA...``) a client pins."""
        return " ".join((self.root / "host_key.pub").read_text().split()[:2])

    @property
    def log_path(self) -> Path:
        return self.root / "sshd.log"

    def client_key(self) -> paramiko.Ed25519Key:
        return paramiko.Ed25519Key.from_private_key_file(str(self.client_key_path))

    def _keygen(self, path: Path) -> None:
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)],
                       check=True, stdin=subprocess.DEVNULL, capture_output=True)

    def start(self) -> SshdServer:
        if not sshd_available():
            raise SshdError(f"{SSHD_BINARY} not found; run `make setup` (openssh-server)")
        self.root.mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o755)
        self.drop_dir.mkdir(exist_ok=True)
        self._keygen(self.root / "host_key")
        self._keygen(self.client_key_path)
        authorized = self.root / "authorized_keys"
        shutil.copyfile(self.root / "client_key.pub", authorized)
        authorized.chmod(0o600)
        Path("/run/sshd").mkdir(parents=True, exist_ok=True)
        self.port = _free_port()
        config = self.root / "sshd_config"
        config.write_text("\n".join([
            f"Port {self.port}", "ListenAddress 127.0.0.1",
            f"HostKey {self.root / 'host_key'}", f"PidFile {self.root / 'sshd.pid'}",
            f"AuthorizedKeysFile {authorized}", "PasswordAuthentication no",
            "KbdInteractiveAuthentication no", "PermitRootLogin prohibit-password",
            "StrictModes no", "UsePAM no", "Subsystem sftp internal-sftp",
            f"AllowUsers {self.username}", "",
        ]))
        self._process = subprocess.Popen(
            [SSHD_BINARY, "-D", "-f", str(config), "-E", str(self.log_path)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + _START_TIMEOUT_S
        while not _greets(self.port):
            if self._process.poll() is not None:
                raise SshdError(f"sshd exited with {self._process.returncode}; see "
                                f"{self.log_path}: {self._log_tail()}")
            if time.monotonic() > deadline:
                self.stop()
                raise SshdError(f"sshd did not answer on port {self.port}")
            time.sleep(0.02)  # polling for the listening socket, bounded by the deadline
        return self

    def _log_tail(self) -> str:
        try:
            return self.log_path.read_text()[-500:]
        except OSError:
            return ""

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> SshdServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def __del__(self) -> None:  # a forgotten server must not outlive the test run
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
