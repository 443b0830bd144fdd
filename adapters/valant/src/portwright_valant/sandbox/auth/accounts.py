"""The sandbox's seeded accounts: known usernames, passwords and MFA secrets.

They are constants on purpose: tests, demos and the engine's flows must be able to log
in without reading the database, and every sandbox (any seed) has the same accounts.
The table in ``docs/sandbox-auth.md`` lists them. Passwords are stored scrypt-hashed.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass

from portwright_valant.sandbox.auth.passwords import hash_password
from portwright_valant.sandbox.config import SandboxConfig

__all__ = [
    "ACCOUNTS",
    "IDP_ACCOUNTS",
    "MAILBOX_PASSWORD",
    "SMS_FROM_NUMBER",
    "Account",
    "IdpAccount",
    "account",
    "mailboxes",
    "seed_accounts",
]

#: the number the sandbox's "Twilio" sends verification texts from (Twilio's test number)
SMS_FROM_NUMBER = "+15005550006"
#: IMAP password of every seeded user's mailbox in the test Dovecot
MAILBOX_PASSWORD = "sandbox-mail"


@dataclass(frozen=True)
class Account:
    """One portal account. ``password`` None: SSO only (linked by ``sso_subject``)."""

    username: str
    display_name: str
    role: str
    mfa: str  # none | totp | email | sms
    password: str | None
    totp_secret: str | None = None
    phone: str | None = None
    sso_subject: str | None = None

    def email(self, mail_domain: str) -> str:
        return f"{self.username}@{mail_domain}"


@dataclass(frozen=True)
class IdpAccount:
    """A user of the sandbox identity provider (its own password and TOTP)."""

    username: str
    display_name: str
    password: str
    totp_secret: str
    subject: str


ACCOUNTS: tuple[Account, ...] = (
    Account("admin", "Avery Admin", "admin", "totp", "Valant-Admin-2025!",
            totp_secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
    Account("scheduler", "Sam Scheduler", "scheduler", "email", "Valant-Sched-2025!"),
    Account("clinician", "Dr. Casey Clinician", "clinician", "sms", "Valant-Clin-2025!",
            phone="+15555550123"),
    Account("biller", "Blake Biller", "biller", "none", "Valant-Bill-2025!"),
    Account("devadmin", "Dev Admin (no MFA)", "admin", "none", "Valant-Dev-2025!"),
    Account("jlee", "Dr. Jordan Lee", "clinician", "none", None,
            sso_subject="nw|00u7jordanlee"),
)

IDP_ACCOUNTS: tuple[IdpAccount, ...] = (
    IdpAccount("jordan.lee", "Jordan Lee", "Northwind-Jordan-1!",
               "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU", "nw|00u7jordanlee"),
)


def account(username: str) -> Account:
    """The seeded account named ``username`` (KeyError if there is none)."""
    for acc in ACCOUNTS:
        if acc.username == username:
            return acc
    raise KeyError(username)


def mailboxes(config: SandboxConfig) -> dict[str, str]:
    """Address → IMAP password of every seeded user, for the test Dovecot's users file."""
    return {acc.email(config.mail_domain): MAILBOX_PASSWORD for acc in ACCOUNTS}


def _salt(kind: str, username: str) -> bytes:
    return hashlib.sha256(f"valant-sandbox:{kind}:{username}".encode()).digest()[:16]


def seed_accounts(conn: sqlite3.Connection, config: SandboxConfig) -> None:
    """Insert the seeded accounts (idempotent: existing usernames are left alone)."""
    for acc in ACCOUNTS:
        pw_hash = hash_password(acc.password, _salt("user", acc.username)) if acc.password else None
        conn.execute(
            "INSERT OR IGNORE INTO users (username, display_name, role, email, phone,"
            " password_hash, mfa_method, totp_secret, sso_subject)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (acc.username, acc.display_name, acc.role, acc.email(config.mail_domain), acc.phone,
             pw_hash, acc.mfa, acc.totp_secret, acc.sso_subject),
        )
    for idp in IDP_ACCOUNTS:
        conn.execute(
            "INSERT OR IGNORE INTO idp_users (username, display_name, email, subject,"
            " password_hash, totp_secret) VALUES (?, ?, ?, ?, ?, ?)",
            (idp.username, idp.display_name, f"{idp.username}@northwind.test", idp.subject,
             hash_password(idp.password, _salt("idp", idp.username)), idp.totp_secret),
        )
