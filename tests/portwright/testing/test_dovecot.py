"""The Dovecot runner serves real IMAP and LMTP: what LMTP delivers, IMAP reads."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

import pytest
from imapclient import IMAPClient
from imapclient.exceptions import LoginError

from portwright.testing.services.dovecot import DovecotError, DovecotServer

pytestmark = pytest.mark.services


def _message(to: str, subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "front-desk@clinic.test"
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    return msg


def test_delivered_message_is_read_over_imap(dovecot: DovecotServer) -> None:
    dovecot.add_users({"runner-a@clinic.test": "pw-a", "runner-b@clinic.test": "pw-b"})
    dovecot.deliver(_message("runner-a@clinic.test", "Intake packet", "Please bring ID 4711."))

    with IMAPClient(dovecot.host, port=dovecot.imap_port, ssl=False) as imap:
        imap.login("runner-a@clinic.test", "pw-a")
        imap.select_folder("INBOX")
        ids = imap.search(["UNSEEN", "FROM", "front-desk@clinic.test"])
        assert len(ids) == 1
        fetched = imap.fetch(ids, ["ENVELOPE", "BODY[TEXT]"])[ids[0]]
        assert fetched[b"ENVELOPE"].subject == b"Intake packet"
        assert b"Please bring ID 4711." in fetched[b"BODY[TEXT]"]
        assert b"IDLE" in imap.capabilities()

    # mailboxes are separate: the other user's inbox is empty
    with IMAPClient(dovecot.host, port=dovecot.imap_port, ssl=False) as imap:
        imap.login("runner-b@clinic.test", "pw-b")
        imap.select_folder("INBOX")
        assert imap.search(["ALL"]) == []


def test_wrong_password_and_unknown_recipient_are_refused(dovecot: DovecotServer) -> None:
    dovecot.add_user("runner-c@clinic.test", "right")
    with (
        IMAPClient(dovecot.host, port=dovecot.imap_port, ssl=False) as imap,
        pytest.raises(LoginError),
    ):
        imap.login("runner-c@clinic.test", "wrong")
    with pytest.raises(DovecotError, match=r"nobody@clinic\.test"):
        dovecot.deliver(_message("nobody@clinic.test", "x", "y"))


def test_server_stops_and_cleans_up() -> None:
    server = DovecotServer({"solo@clinic.test": "pw"}).start()
    root, lmtp_port = server.root, server.lmtp_port
    server.deliver(_message("solo@clinic.test", "hello", "world"))
    assert list((root / "mail" / "solo@clinic.test").rglob("new/*"))
    server.stop()
    assert not root.exists()
    with pytest.raises(OSError):
        smtplib.LMTP("127.0.0.1", lmtp_port, timeout=2)
