"""Codes sent by email, read from the account's mailbox over IMAP.

The mailbox (host, port, TLS, user, password) comes from the credential store; which
message carries the code (sender, subject) and where the code sits in it (a regex) come
from the flow. ``prepare()`` notes the mailbox's ``UIDNEXT`` before the portal is asked to
send, so only a message that *arrived after the request* can supply the code, never a
leftover from an earlier login. Waiting uses IMAP IDLE when the server advertises it
(the code is read the moment it lands) and polls otherwise. The message used is marked
``\\Seen`` so no later run picks it up again.

imapclient is blocking, so each wait runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import re
import time
from dataclasses import dataclass
from email.message import EmailMessage
from html import unescape

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from portwright.auth.mfa.extraction import compile_pattern, extract_code
from portwright.exceptions import MfaError, MfaTimeout

__all__ = ["EmailCodeSource", "EmailRules", "Mailbox"]


@dataclass(frozen=True)
class Mailbox:
    """Where the codes arrive. ``password`` is a secret: never shown, never logged."""

    host: str
    port: int
    user: str
    password: str
    tls: bool = True
    folder: str = "INBOX"

    def __repr__(self) -> str:
        return f"Mailbox({self.describe()})"

    def describe(self) -> str:
        return f"{self.user} on {self.host}:{self.port}/{self.folder}"


@dataclass(frozen=True)
class EmailRules:
    """Which message holds the code: sender and subject substrings, and the code regex."""

    pattern: str
    sender: str | None = None
    subject: str | None = None


def _body_text(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = part.get_content()
    if part.get_content_type() == "text/html":
        text = unescape(re.sub(r"<[^>]+>", " ", text))
    return str(text)


class EmailCodeSource:
    """Codes from the newest matching message that arrived after ``prepare()``."""

    def __init__(
        self,
        mailbox: Mailbox,
        rules: EmailRules,
        *,
        poll_interval_s: float = 0.5,
        idle_slice_s: float = 5.0,
        use_idle: bool = True,
    ) -> None:
        self.mailbox = mailbox
        self.rules = rules
        self.poll_interval_s = poll_interval_s
        self.idle_slice_s = idle_slice_s
        self.use_idle = use_idle
        self._pattern = compile_pattern(rules.pattern)
        self._uid_floor: int | None = None
        self._used: set[int] = set()
        #: how the last wait was done ("idle" or "poll"); tests and logs read it
        self.last_wait_mode: str | None = None

    @property
    def channel(self) -> str:
        return f"mailbox {self.mailbox.describe()}"

    def _connect(self) -> IMAPClient:
        try:
            client = IMAPClient(
                self.mailbox.host, port=self.mailbox.port, ssl=self.mailbox.tls, timeout=30
            )
            # imaplib's protocol trace would log message bodies (the codes): off for ours.
            client._imap.debug = 0
            client.login(self.mailbox.user, self.mailbox.password)
        except (IMAPClientError, OSError) as exc:
            # The server's words may echo the user, never the password; keep only the type.
            raise MfaError(
                f"cannot open {self.channel}: {type(exc).__name__}",
                hint="check the imap_* secrets (host, port, tls, user, password)",
            ) from None
        client.select_folder(self.mailbox.folder)
        return client

    def _snapshot(self) -> int:
        client = self._connect()
        try:
            status = client.folder_status(self.mailbox.folder, [b"UIDNEXT"])
            return int(status[b"UIDNEXT"])
        finally:
            client.logout()

    async def prepare(self) -> None:
        """Remember where the mailbox ends now: only later messages count."""
        self._uid_floor = await asyncio.to_thread(self._snapshot)

    def _find(self, client: IMAPClient) -> str | None:
        criteria: list[object] = ["UNSEEN"]
        if self.rules.sender:
            criteria += ["FROM", self.rules.sender]
        if self.rules.subject:
            criteria += ["SUBJECT", self.rules.subject]
        floor = self._uid_floor or 1
        criteria += ["UID", f"{floor}:*"]
        uids = [u for u in client.search(criteria) if u >= floor and u not in self._used]
        for uid in sorted(uids, reverse=True):
            fetched = client.fetch([uid], ["BODY.PEEK[]"])
            raw = fetched.get(uid, {}).get(b"BODY[]")
            if not raw:
                continue
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            assert isinstance(msg, EmailMessage)
            code = extract_code(_body_text(msg), self._pattern)
            if code is None:
                continue
            client.add_flags([uid], [b"\\Seen"])
            self._used.add(uid)
            return code
        return None

    def _wait(self, timeout_s: float) -> str:
        deadline = time.monotonic() + timeout_s
        client = self._connect()
        try:
            idle = self.use_idle and b"IDLE" in client.capabilities()
            self.last_wait_mode = "idle" if idle else "poll"
            while True:
                code = self._find(client)
                if code is not None:
                    return code
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                if idle:
                    client.idle()
                    try:
                        client.idle_check(timeout=min(left, self.idle_slice_s))
                    finally:
                        client.idle_done()
                else:
                    time.sleep(min(left, self.poll_interval_s))
                    client.noop()
        finally:
            with contextlib.suppress(IMAPClientError, OSError):
                client.logout()
        rule = ", ".join(
            f"{k} contains {v!r}"
            for k, v in (("from", self.rules.sender), ("subject", self.rules.subject))
            if v
        )
        raise MfaTimeout(
            f"no code email ({rule or 'any message'}) arrived in {self.channel} "
            f"after the code was requested; waited {timeout_s:.1f} s",
            hint="check that the portal sends to this mailbox and that sender/subject match",
        )

    async def next_code(self, timeout_s: float) -> str:
        """Wait up to ``timeout_s`` for a new matching message; return its code.

        Without a ``prepare()`` first, any unseen matching message counts.
        """
        return await asyncio.to_thread(self._wait, timeout_s)
