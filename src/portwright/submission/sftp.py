"""SFTP to a clearinghouse drop (paramiko), never leaving a half-written file.

The file is written under a temporary dot-name, its size checked, then renamed to its
final name in one step (``posix-rename``), so the clearinghouse's pickup job sees either
nothing or the whole file. The server's host key is pinned: a man in the middle gets an
error, not claims.

A connection cut mid-transfer cannot remove its own part file, so the part is removed
over a new connection; if the server cannot be reached for that either, the next
attempt for the same file removes the parts earlier attempts left (``.<name>.<8 hex>.part``)
before it uploads, so a retry leaves exactly one file. Every operation on the
connection is bounded by ``timeout_s``: a stalled connection is an error, not a hang
that holds the ledger's lock.
"""

from __future__ import annotations

import base64
import io
import posixpath
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

import paramiko
from paramiko.pkey import UnknownKeyType

from portwright.exceptions import SubmissionError
from portwright.submission.channel import Delivery

__all__ = ["SftpChannel", "SftpSettings"]

#: What a dropped, reset or stalled connection raises: paramiko's transport reports a
#: closed socket as a bare ``EOFError``, a timeout is an ``OSError``.
_CONNECTION_ERRORS = (OSError, EOFError, paramiko.SSHException)


@dataclass(frozen=True)
class SftpSettings:
    """Connection details. ``host_key`` is the server's public key line
    (``ssh-ed25519 AAAA...``); ``key_path`` the client's private key file."""

    host: str
    port: int
    username: str
    key_path: Path
    remote_dir: str
    host_key: str
    timeout_s: float = 15.0


def _reason(exc: BaseException) -> str:
    """What went wrong, in words: paramiko's ``EOFError`` for a dropped connection says
    nothing at all."""
    if isinstance(exc, TimeoutError):
        return "the server stopped answering (timed out)"
    return str(exc) or ("the server closed the connection" if isinstance(exc, EOFError)
                        else type(exc).__name__)


def _pinned(line: str) -> paramiko.PKey:
    """The server's public key from its ``type base64`` line (as in known_hosts)."""
    try:
        kind, _, data = line.strip().partition(" ")
        return paramiko.PKey.from_type_string(kind, base64.b64decode(data.split()[0]))
    except (IndexError, ValueError, paramiko.SSHException, UnknownKeyType) as exc:
        raise SubmissionError(
            f"the pinned host key {line.strip()[:60]!r} is not a public key line ({exc}); "
            "nothing was sent",
            hint="pass the server's key as 'ssh-ed25519 AAAA...' (ssh-keyscan prints it)",
        ) from None


def _client_key(path: Path) -> paramiko.PKey:
    """The client's private key (its contents never reach a message)."""
    try:
        return paramiko.PKey.from_path(path)
    except OSError as exc:
        raise SubmissionError(f"{path}: cannot read the private key: {exc.strerror}; "
                              "nothing was sent") from None
    except (ValueError, paramiko.SSHException, UnknownKeyType) as exc:
        reason = str(exc).split(". See ", 1)[0]  # not cryptography's FAQ link
        raise SubmissionError(
            f"{path}: not a private key this SFTP client can use ({reason}); nothing was sent",
            hint="give an unencrypted OpenSSH or PEM private key (ssh-keygen -t ed25519 -N '')",
        ) from None


class SftpChannel:
    """Uploads into ``settings.remote_dir`` on an SFTP server.

    The private key and the pinned host key are read when the channel is made, so a bad
    one is an error before a claim file is built, numbered or recorded."""

    name = "sftp"

    def __init__(self, settings: SftpSettings) -> None:
        self.settings = settings
        self._key = _client_key(settings.key_path)
        self._host_key = _pinned(settings.host_key)

    def _connect(self) -> tuple[paramiko.Transport, paramiko.SFTPClient]:
        s = self.settings
        key = self._key
        try:
            transport = paramiko.Transport((s.host, s.port))
            transport.banner_timeout = s.timeout_s
            transport.start_client(timeout=s.timeout_s)
        except _CONNECTION_ERRORS as exc:
            raise SubmissionError(f"sftp://{s.host}:{s.port}: cannot connect: {_reason(exc)}; "
                                  "nothing was sent") from exc
        # Check the host key before sending anything, credentials included.
        if transport.get_remote_server_key() != self._host_key:
            transport.close()
            raise SubmissionError(
                f"sftp://{s.host}:{s.port}: the server's host key does not match the pinned "
                "key; nothing was sent",
                hint="verify the clearinghouse's host key and update the channel settings")
        try:
            transport.auth_publickey(s.username, key)
            client = paramiko.SFTPClient.from_transport(transport)
        except _CONNECTION_ERRORS as exc:
            transport.close()
            raise SubmissionError(f"sftp://{s.host}:{s.port}: login as {s.username} failed: "
                                  f"{_reason(exc)}; nothing was sent") from exc
        if client is None:  # pragma: no cover - paramiko returns None only without a channel
            transport.close()
            raise SubmissionError(f"sftp://{s.host}:{s.port}: no sftp subsystem")
        channel = client.get_channel()
        if channel is not None:  # every request's wait is bounded, not only the login
            channel.settimeout(s.timeout_s)
        return transport, client

    def _path(self, filename: str) -> str:
        if "/" in filename or filename.startswith("."):
            raise SubmissionError(f"unsafe file name {filename!r}")
        return posixpath.join(self.settings.remote_dir, filename)

    def already_delivered(self, filename: str, content: bytes) -> Delivery | None:
        transport, client = self._connect()
        try:
            return self._existing(client, filename, content)
        finally:
            transport.close()

    def _existing(self, client: paramiko.SFTPClient, filename: str, content: bytes
                  ) -> Delivery | None:
        path = self._path(filename)
        try:
            with client.open(path, "rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            return None
        except _CONNECTION_ERRORS as exc:
            raise SubmissionError(f"cannot read {path} on the server: {_reason(exc)}; "
                                  "nothing was sent") from exc
        if data != content:
            raise SubmissionError(
                f"{path} already exists on the server with different content; "
                "nothing was overwritten",
                hint="use a new reference id for a different file")
        return Delivery(self.name, path, len(content))

    def deliver(self, filename: str, content: bytes) -> Delivery:
        path = self._path(filename)
        temp = posixpath.join(self.settings.remote_dir,
                              f".{filename}.{secrets.token_hex(4)}.part")
        transport, client = self._connect()
        try:
            existing = self._existing(client, filename, content)
            if existing is not None:
                return existing
            try:
                self._remove_earlier_parts(client, filename)
                self._upload(client, temp, content)
                client.posix_rename(temp, path)
            except Exception as exc:
                # Whatever stopped the upload (a short write, a cut connection), the part
                # file must not stay behind for a pickup job or a later retry to trip over.
                removed = self._discard(transport, client, temp, exc)
                if isinstance(exc, (*_CONNECTION_ERRORS, SubmissionError)):
                    left = ("the partial file was removed" if removed else
                            f"the partial file {temp} may remain on the server (never under "
                            "the final name); the next attempt removes it")
                    raise SubmissionError(f"upload of {filename} to {self.settings.host} "
                                          f"failed: {_reason(exc)}; {left}"
                                          ) from exc
                raise
            return Delivery(self.name, path, len(content))
        finally:
            transport.close()

    def _remove_earlier_parts(self, client: paramiko.SFTPClient, filename: str) -> None:
        """Remove part files of ``filename`` that earlier attempts could not (their
        connection was cut); the ledger's lock keeps our own attempts from overlapping."""
        earlier = re.compile(rf"\.{re.escape(filename)}\.[0-9a-f]{{8}}\.part")
        for name in client.listdir(self.settings.remote_dir):
            if earlier.fullmatch(name):
                self._remove(client, posixpath.join(self.settings.remote_dir, name))

    def _discard(self, transport: paramiko.Transport, client: paramiko.SFTPClient,
                 temp: str, failure: BaseException) -> bool:
        """Remove ``temp`` after a failed upload; whether it is gone.

        A connection that was cut, or that stalled until the timeout, cannot be trusted
        with another request, so the part is then removed over a new connection."""
        if (transport.is_active() and not isinstance(failure, TimeoutError)
                and self._remove(client, temp)):
            return True
        transport.close()
        try:
            fresh, fresh_client = self._connect()
        except SubmissionError:
            return False
        try:
            return self._remove(fresh_client, temp)
        finally:
            fresh.close()

    @staticmethod
    def _upload(client: paramiko.SFTPClient, temp: str, content: bytes) -> None:
        """Write ``content`` to ``temp`` and confirm the server holds all of it."""
        attrs = client.putfo(io.BytesIO(content), temp, file_size=len(content), confirm=True)
        if attrs.st_size != len(content):
            raise SubmissionError(f"the server holds {attrs.st_size} of {len(content)} bytes")

    @staticmethod
    def _remove(client: paramiko.SFTPClient, path: str) -> bool:
        """Remove ``path``; whether it is gone (it may never have been created)."""
        try:
            client.remove(path)
        except FileNotFoundError:
            return True
        except _CONNECTION_ERRORS:
            return False
        return True
