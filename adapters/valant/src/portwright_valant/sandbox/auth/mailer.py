"""Email delivery of verification codes over LMTP into the mailbox server (Dovecot).

The message looks like a real portal's: a no-reply sender at the practice's mail domain,
a fixed subject, the code in the body. Clients find it by sender/subject and extract the
code with a regex, exactly as they would from a real inbox.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from portwright_valant.sandbox.config import SandboxConfig

__all__ = ["SUBJECT", "MailDeliveryError", "code_message", "send_code", "sender"]

SUBJECT = "Your Valant verification code"


class MailDeliveryError(Exception):
    """The code could not be handed to the mailbox server (not configured, refused...)."""


def sender(config: SandboxConfig) -> str:
    return f"no-reply@{config.mail_domain}"


def code_message(config: SandboxConfig, to_addr: str, code: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = f"Valant <{sender(config)}>"
    msg["To"] = to_addr
    msg["Subject"] = SUBJECT
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = make_msgid(domain=config.mail_domain)
    msg.set_content(
        f"Your Valant verification code is {code}.\n\n"
        "It expires in 10 minutes. If you did not try to sign in, contact your practice "
        "administrator.\n"
    )
    return msg


def send_code(config: SandboxConfig, to_addr: str, code: str) -> None:
    """Deliver the code email over LMTP; raises ``MailDeliveryError`` with the reason."""
    if not config.lmtp_host or not config.lmtp_port:
        raise MailDeliveryError("no mailbox server is configured (lmtp_host/lmtp_port)")
    try:
        with smtplib.LMTP(config.lmtp_host, config.lmtp_port, timeout=10) as lmtp:
            lmtp.send_message(code_message(config, to_addr, code))
    except (OSError, smtplib.SMTPException) as exc:
        raise MailDeliveryError(f"mailbox server refused the message: {exc}") from exc
