"""What a user of a seeded account exports to run flows against one sandbox.

Every flow reads its credentials as ``secrets.valant.<name>``, which the engine resolves
from ``PORTWRIGHT_SECRET_VALANT_<NAME>`` (or the credential store). Which names an
account needs depends on its second factor: a TOTP seed, the Twilio account and number
of an SMS code (with the sandbox's Twilio-format endpoint as API base), the IMAP mailbox
of an emailed code, or the identity provider's own login for SSO. Scripts, benches and
tests that log in as a given account all need the same table, so it lives here once.

``method: auto`` picks the second factor by which secrets exist, so a stray variable
from another account would change the login: ``exported`` hides every other one.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from typing import Protocol

from portwright_valant.sandbox.auth.accounts import IDP_ACCOUNTS, MAILBOX_PASSWORD, account
from portwright_valant.sandbox.config import SandboxConfig

__all__ = ["SECRET_PREFIX", "Mailbox", "exported", "user_secrets"]

SECRET_PREFIX = "PORTWRIGHT_SECRET_VALANT_"


class Mailbox(Protocol):
    """Where emailed codes can be read over IMAP (a test Dovecot)."""

    host: str
    imap_port: int


def user_secrets(username: str, sandbox_url: str, config: SandboxConfig,
                 mail: Mailbox | None = None) -> dict[str, str]:
    """Secret name (upper case, without the prefix) → value, for ``username``.

    ``mail`` is required for an account whose second factor is an emailed code.
    """
    acc = account(username)
    if acc.sso_subject is not None and acc.password is None:
        idp = next(i for i in IDP_ACCOUNTS if i.subject == acc.sso_subject)
        return {"SSO_USERNAME": idp.username, "SSO_PASSWORD": idp.password,
                "SSO_TOTP_SECRET": idp.totp_secret}
    secrets = {"USERNAME": acc.username, "PASSWORD": acc.password or ""}
    if acc.mfa == "totp" and acc.totp_secret:
        secrets["TOTP_SECRET"] = acc.totp_secret
    elif acc.mfa == "sms" and acc.phone:
        secrets |= {"SMS_NUMBER": acc.phone,
                    "TWILIO_API_BASE": f"{sandbox_url.rstrip('/')}/twilio",
                    "TWILIO_ACCOUNT_SID": config.twilio_account_sid,
                    "TWILIO_AUTH_TOKEN": config.twilio_auth_token}
    elif acc.mfa == "email":
        if mail is None:
            raise ValueError(f"account {username} gets its codes by email: pass the mailbox")
        secrets |= {"IMAP_HOST": mail.host, "IMAP_PORT": str(mail.imap_port),
                    "IMAP_TLS": "false", "IMAP_USER": acc.email(config.mail_domain),
                    "IMAP_PASSWORD": MAILBOX_PASSWORD}
    return secrets


@contextlib.contextmanager
def exported(secrets: Mapping[str, str]) -> Iterator[None]:
    """Set ``PORTWRIGHT_SECRET_VALANT_<NAME>`` for the block, hiding every other one."""
    saved = {k: v for k, v in os.environ.items() if k.startswith(SECRET_PREFIX)}
    for key in saved:
        del os.environ[key]
    os.environ.update({SECRET_PREFIX + name: value for name, value in secrets.items()})
    try:
        yield
    finally:
        for name in secrets:
            os.environ.pop(SECRET_PREFIX + name, None)
        os.environ.update(saved)
