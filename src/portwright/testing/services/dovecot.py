"""A throwaway Dovecot (IMAP + LMTP) on loopback, for tests of email MFA.

Each ``DovecotServer`` writes its own configuration, passwd-file and Maildirs into a
temporary directory, starts the real ``dovecot`` daemon on two free loopback ports and
stops it with ``doveadm stop``. Nothing on the machine's own mail setup is touched.

    with DovecotServer({"scheduler@clinic.test": "sandbox-mail"}) as mail:
        mail.deliver(message)            # over LMTP, as any mail server would
        IMAPClient("127.0.0.1", port=mail.imap_port, ssl=False)...
"""

from __future__ import annotations

import os
import shutil
import smtplib
import socket
import subprocess
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType

__all__ = ["DovecotError", "DovecotServer", "dovecot_available"]

_MAIL_UID = 8  # Debian's "mail" user: Dovecot refuses uid 0 for mailboxes
_MAIL_GID = 8
_START_TIMEOUT_S = 10.0


class DovecotError(RuntimeError):
    """Dovecot is missing, failed to start, or refused a delivery."""


def dovecot_available() -> bool:
    return shutil.which("dovecot") is not None and shutil.which("doveadm") is not None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
            return bool(s.recv(64))  # both IMAP and LMTP greet first
    except OSError:
        return False


class DovecotServer:
    """Real Dovecot serving IMAP and LMTP for ``users`` (address → password)."""

    host = "127.0.0.1"

    def __init__(self, users: dict[str, str] | None = None, root: Path | None = None) -> None:
        self.users: dict[str, str] = dict(users or {})
        self._own_root = root is None
        self.root = Path(root) if root is not None else Path(tempfile.mkdtemp(prefix="dovecot-"))
        self.imap_port = 0
        self.lmtp_port = 0
        self._running = False

    @property
    def config_path(self) -> Path:
        return self.root / "dovecot.conf"

    @property
    def log_path(self) -> Path:
        return self.root / "dovecot.log"

    def add_user(self, address: str, password: str) -> None:
        """Add one mailbox to the (possibly running) server; see ``add_users``."""
        self.add_users({address: password})

    def add_users(self, users: dict[str, str]) -> None:
        """Add mailboxes; on a running server, returns once Dovecot knows all of them.

        Dovecot rereads its passwd-file at most once a second, so the new users are
        polled for (``doveadm user``, which asks the auth process; failed IMAP logins
        would earn the client an anvil penalty) instead of assumed. Add mailboxes in
        one batch to pay that second once.
        """
        new = {a: p for a, p in users.items() if self.users.get(a) != p}
        if not new:
            return
        self.users.update(new)
        if not self._running:
            return
        self._write_users()
        deadline = time.monotonic() + _START_TIMEOUT_S
        while not all(self._known(address) for address in new):
            if time.monotonic() > deadline:
                raise DovecotError(f"dovecot did not pick up mailboxes {sorted(new)}")
            time.sleep(0.05)  # polling for the reload, see docstring

    def _known(self, address: str) -> bool:
        result = subprocess.run(
            ["doveadm", "-c", str(self.config_path), "user", address],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            timeout=_START_TIMEOUT_S, check=False,
        )
        return result.returncode == 0

    def _write_users(self) -> None:
        mail = self.root / "mail"
        lines = [f"{addr}:{{PLAIN}}{pw}:{_MAIL_UID}:{_MAIL_GID}::{mail / addr}\n"
                 for addr, pw in self.users.items()]
        mail.mkdir(parents=True, exist_ok=True)
        for addr in self.users:
            (mail / addr).mkdir(parents=True, exist_ok=True)
        (self.root / "users").write_text("".join(lines))
        if os.geteuid() == 0:
            for path in [mail, *mail.rglob("*")]:
                os.chown(path, _MAIL_UID, _MAIL_GID)

    def _write_config(self) -> None:
        d = self.root
        self.config_path.write_text(f"""\
base_dir = {d}/run
state_dir = {d}/run
log_path = {self.log_path}
protocols = imap lmtp
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:{d}/mail/%u
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/users
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {d}/users
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.imap_port}
  }}
}}
service lmtp {{
  inet_listener lmtp {{
    address = 127.0.0.1
    port = {self.lmtp_port}
  }}
}}
""")

    def start(self) -> DovecotServer:
        """Start the daemon and return once both ports greet; cleans up if it cannot."""
        if self._running:
            return self
        try:
            return self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> DovecotServer:
        if not dovecot_available():
            raise DovecotError("dovecot is not installed (make setup installs dovecot-imapd "
                               "and dovecot-lmtpd)")
        self.root.mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o755)  # mail processes run as the mail user and must traverse it
        (self.root / "run").mkdir(exist_ok=True)
        self.imap_port, self.lmtp_port = _free_port(), _free_port()
        self._write_users()
        self._write_config()
        # stdio to files, never pipes: the daemonized master would keep a pipe open forever
        errors = self.root / "start.err"
        with errors.open("wb") as err:
            result = subprocess.run(
                ["dovecot", "-c", str(self.config_path)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                timeout=_START_TIMEOUT_S, check=False,
            )
        if result.returncode != 0:
            raise DovecotError(f"dovecot failed to start: {errors.read_text().strip()}")
        self._running = True
        deadline = time.monotonic() + _START_TIMEOUT_S
        while not (_accepts(self.imap_port) and _accepts(self.lmtp_port)):
            if time.monotonic() > deadline:
                raise DovecotError(f"dovecot did not listen within {_START_TIMEOUT_S:.0f} s; "
                                   f"see {self.log_path}")
            time.sleep(0.02)  # polling a socket that is coming up, not papering over a race
        return self

    def stop(self) -> None:
        if self._running:
            subprocess.run(["doveadm", "-c", str(self.config_path), "stop"],
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=_START_TIMEOUT_S, check=False)
            self._running = False
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def deliver(self, msg: EmailMessage) -> None:
        """Hand ``msg`` to Dovecot over LMTP (raises ``DovecotError`` if refused)."""
        try:
            with smtplib.LMTP(self.host, self.lmtp_port, timeout=10) as lmtp:
                lmtp.send_message(msg)
        except (OSError, smtplib.SMTPException) as exc:
            raise DovecotError(f"LMTP delivery refused: {exc}") from exc

    def __enter__(self) -> DovecotServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
