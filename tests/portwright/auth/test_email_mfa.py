"""Email MFA against a real Dovecot on loopback: new-message rule, IDLE, seen flag, timeout."""

from __future__ import annotations

import asyncio
import threading
from email.message import EmailMessage

import pytest
from imapclient import IMAPClient

from portwright.auth.mfa import EmailCodeSource, EmailRules, Mailbox
from portwright.exceptions import MfaTimeout
from portwright.testing.services.dovecot import DovecotServer
from portwright_valant.sandbox.auth.accounts import MAILBOX_PASSWORD

pytestmark = pytest.mark.services

SENDER = "no-reply@clinic.test"
SUBJECT = "Your Valant verification code"
RULES = EmailRules(pattern=r"code is (\d{6})", sender=SENDER, subject=SUBJECT)


def _message(to: str, body: str, sender: str = SENDER, subject: str = SUBJECT) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = f"Valant <{sender}>"
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    return msg


#: seeded sandbox users whose mailboxes no portal flow writes to: one per test
_QUIET_BOXES = iter(("admin", "biller", "devadmin", "jlee"))


@pytest.fixture
def dovecot(sandbox_mailbox: DovecotServer) -> DovecotServer:
    """The session's real Dovecot (shared with the sandbox suites)."""
    return sandbox_mailbox


@pytest.fixture
def mailbox(dovecot: DovecotServer) -> Mailbox:
    """A mailbox of its own for each test."""
    address = f"{next(_QUIET_BOXES)}@clinic.test"
    return Mailbox(host=dovecot.host, port=dovecot.imap_port, user=address,
                   password=MAILBOX_PASSWORD, tls=False)


def _deliver_soon(dovecot: DovecotServer, msgs: list[EmailMessage]) -> threading.Thread:
    """Deliver from another thread while the source is already waiting."""
    thread = threading.Thread(target=lambda: [dovecot.deliver(m) for m in msgs])
    return thread


async def test_reads_only_a_code_that_arrived_after_the_request(
    dovecot: DovecotServer, mailbox: Mailbox
) -> None:
    # An older, still unseen code from an earlier login must not be used.
    dovecot.deliver(_message(mailbox.user, "Your Valant verification code is 111111."))
    source = EmailCodeSource(mailbox, RULES)
    await source.prepare()
    wait = asyncio.create_task(source.next_code(timeout_s=10))
    thread = _deliver_soon(dovecot, [
        _message(mailbox.user, "Newsletter: code is 999999", subject="Practice news"),
        _message(mailbox.user, "Your code is 222222", sender="phish@evil.test"),
        _message(mailbox.user, "Your Valant verification code is 482913.\n"),
    ])
    thread.start()
    code = await wait
    thread.join()
    assert code == "482913"
    assert source.last_wait_mode == "idle"
    # The message used is marked seen; the old one and the non-matching ones are not.
    with IMAPClient(mailbox.host, port=mailbox.port, ssl=False) as imap:
        imap.login(mailbox.user, mailbox.password)
        imap.select_folder("INBOX")
        seen = imap.search(["SEEN"])
        assert len(seen) == 1
        body = imap.fetch(seen, ["BODY[TEXT]"])[seen[0]][b"BODY[TEXT]"]
        assert b"482913" in body
        assert len(imap.search(["UNSEEN"])) == 3


async def test_polling_fallback_finds_the_code(dovecot: DovecotServer, mailbox: Mailbox) -> None:
    source = EmailCodeSource(mailbox, RULES, use_idle=False, poll_interval_s=0.05)
    await source.prepare()
    wait = asyncio.create_task(source.next_code(timeout_s=10))
    thread = _deliver_soon(
        dovecot, [_message(mailbox.user, "Your Valant verification code is 730215.")]
    )
    thread.start()
    assert await wait == "730215"
    thread.join()
    assert source.last_wait_mode == "poll"


async def test_a_second_code_is_a_different_message(
    dovecot: DovecotServer, mailbox: Mailbox
) -> None:
    source = EmailCodeSource(mailbox, RULES)
    await source.prepare()
    dovecot.deliver(_message(mailbox.user, "Your Valant verification code is 100001."))
    assert await source.next_code(timeout_s=5) == "100001"
    dovecot.deliver(_message(mailbox.user, "Your Valant verification code is 100002."))
    assert await source.next_code(timeout_s=5) == "100002"


async def test_timeout_names_the_mailbox_and_the_wait(
    dovecot: DovecotServer, mailbox: Mailbox
) -> None:
    dovecot.deliver(_message(mailbox.user, "Your Valant verification code is 111111."))
    source = EmailCodeSource(mailbox, RULES, idle_slice_s=0.2)
    await source.prepare()
    with pytest.raises(MfaTimeout) as info:
        await source.next_code(timeout_s=0.6)
    text = str(info.value)
    assert mailbox.user in text and str(mailbox.port) in text
    assert "waited 0.6 s" in text
    assert MAILBOX_PASSWORD not in text
