"""The second factor: pending challenges and the channels that deliver codes.

A correct password opens a challenge (a row plus an HttpOnly ``vl_mfa`` cookie). Each
MFA method is a ``Channel`` in ``CHANNELS``: TOTP sends nothing; email and SMS generate
a 6-digit code, keep only its hash and deliver it through the real channel (LMTP into
Dovecot, the Twilio-compatible API). ``verify`` answers with a ``Verdict`` so the login
page can say precisely why a code was refused.
"""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from portwright_valant.sandbox.auth import mailer, totp
from portwright_valant.sandbox.auth.accounts import SMS_FROM_NUMBER
from portwright_valant.sandbox.auth.runtime import AuthRuntime, digest
from portwright_valant.sandbox.auth.twilio_api import record_sms

__all__ = [
    "CHALLENGE_TTL_S",
    "CHANNELS",
    "CODE_TTL_S",
    "MAX_ATTEMPTS",
    "MFA_COOKIE",
    "Challenge",
    "Verdict",
    "begin_challenge",
    "load_challenge",
    "resend_code",
    "verify_code",
]

MFA_COOKIE = "vl_mfa"
CHALLENGE_TTL_S = 15 * 60
CODE_TTL_S = 10 * 60
MAX_ATTEMPTS = 5


class Verdict(StrEnum):
    OK = "ok"
    INVALID = "invalid"        # wrong code (or malformed)
    REUSED = "reused"          # a TOTP code that was already accepted once
    CODE_EXPIRED = "code_expired"
    TOO_MANY = "too_many"      # challenge cancelled after MAX_ATTEMPTS wrong codes
    NO_CHALLENGE = "no_challenge"


@dataclass(frozen=True)
class Challenge:
    id: str
    user_id: int
    username: str
    method: str
    destination: str  # masked email/phone, "" for TOTP
    next_url: str
    attempts: int


class Channel(Protocol):
    sends_code: bool

    def destination(self, user: sqlite3.Row) -> str: ...

    def deliver(self, rt: AuthRuntime, user: sqlite3.Row, code: str) -> None: ...


def _mask_email(addr: str) -> str:
    local, _, domain = addr.partition("@")
    return f"{local[:1]}{'*' * max(len(local) - 1, 1)}@{domain}"


class TotpChannel:
    sends_code = False

    def destination(self, user: sqlite3.Row) -> str:
        return ""

    def deliver(self, rt: AuthRuntime, user: sqlite3.Row, code: str) -> None:
        raise NotImplementedError("TOTP codes come from the user's authenticator app")


class EmailChannel:
    sends_code = True

    def destination(self, user: sqlite3.Row) -> str:
        return _mask_email(user["email"])

    def deliver(self, rt: AuthRuntime, user: sqlite3.Row, code: str) -> None:
        mailer.send_code(rt.state.config, user["email"], code)


class SmsChannel:
    sends_code = True

    def destination(self, user: sqlite3.Row) -> str:
        phone = user["phone"] or ""
        return f"(***) ***-{phone[-4:]}"

    def deliver(self, rt: AuthRuntime, user: sqlite3.Row, code: str) -> None:
        with rt.write() as conn:
            record_sms(rt, conn, user["phone"], SMS_FROM_NUMBER,
                       f"Your Valant verification code is {code}. It expires in 10 minutes.")


CHANNELS: dict[str, Channel] = {
    "totp": TotpChannel(),
    "email": EmailChannel(),
    "sms": SmsChannel(),
}


def _new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def begin_challenge(rt: AuthRuntime, user: sqlite3.Row, next_url: str) -> str:
    """Open a challenge for ``user`` (cancelling older ones); returns the cookie token.

    Codes are delivered by ``resend_code`` afterwards, outside the transaction, so a
    mail server failure leaves a challenge the user can ask a new code for.
    """
    token = secrets.token_urlsafe(32)
    now = rt.now()
    with rt.write() as conn:
        conn.execute(
            "UPDATE mfa_challenges SET consumed_at = ? WHERE user_id = ? AND consumed_at IS NULL",
            (now, user["id"]),
        )
        conn.execute(
            "INSERT INTO mfa_challenges (id, user_id, method, created_at, expires_at, next_url)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (digest(token), user["id"], user["mfa_method"], now, now + CHALLENGE_TTL_S, next_url),
        )
    return token


def load_challenge(rt: AuthRuntime, token: str | None) -> Challenge | None:
    """The live challenge behind the cookie, or None (missing, used up, expired)."""
    if not token:
        return None
    with rt.read() as conn:
        row = conn.execute(
            "SELECT c.*, u.username, u.email, u.phone FROM mfa_challenges c"
            " JOIN users u ON u.id = c.user_id WHERE c.id = ?",
            (digest(token),),
        ).fetchone()
    if row is None or row["consumed_at"] is not None or row["expires_at"] <= rt.now():
        return None
    return Challenge(row["id"], row["user_id"], row["username"], row["method"],
                     CHANNELS[row["method"]].destination(row), row["next_url"], row["attempts"])


def resend_code(rt: AuthRuntime, challenge: Challenge) -> None:
    """Generate a fresh code (the previous one stops working) and deliver it.

    Raises ``mailer.MailDeliveryError`` when the email cannot be handed over.
    """
    channel = CHANNELS[challenge.method]
    if not channel.sends_code:
        return
    code = _new_code()
    with rt.write() as conn:
        conn.execute(
            "UPDATE mfa_challenges SET code_hash = ?, code_sent_at = ?, sends = sends + 1"
            " WHERE id = ?",
            (digest(code), rt.now(), challenge.id),
        )
        user = conn.execute("SELECT * FROM users WHERE id = ?", (challenge.user_id,)).fetchone()
        rt.event(conn, challenge.username, "mfa_sent", challenge.method)
    channel.deliver(rt, user, code)


def verify_code(rt: AuthRuntime, challenge: Challenge, code: str) -> Verdict:
    """Check ``code``; counts failures and consumes the challenge on success."""
    now = rt.now()
    with rt.write() as conn:
        row = conn.execute(
            "SELECT c.*, u.totp_secret, u.totp_last_step FROM mfa_challenges c"
            " JOIN users u ON u.id = c.user_id WHERE c.id = ?",
            (challenge.id,),
        ).fetchone()
        if row is None or row["consumed_at"] is not None:
            return Verdict.NO_CHALLENGE
        verdict = _judge(row, code.strip(), now)
        if verdict is Verdict.OK:
            conn.execute("UPDATE mfa_challenges SET consumed_at = ? WHERE id = ?",
                         (now, challenge.id))
            if row["method"] == "totp":
                step = totp.matching_step(row["totp_secret"], code)
                conn.execute("UPDATE users SET totp_last_step = ? WHERE id = ?",
                             (step, row["user_id"]))
            return verdict
        attempts = row["attempts"] + 1
        conn.execute("UPDATE mfa_challenges SET attempts = ? WHERE id = ?",
                     (attempts, challenge.id))
        rt.event(conn, challenge.username, "mfa_failed", verdict.value)
        if attempts >= MAX_ATTEMPTS:
            conn.execute("UPDATE mfa_challenges SET consumed_at = ? WHERE id = ?",
                         (now, challenge.id))
            return Verdict.TOO_MANY
        return verdict


def _judge(row: sqlite3.Row, code: str, now: float) -> Verdict:
    if row["method"] == "totp":
        step = totp.matching_step(row["totp_secret"], code)
        if step is None:
            return Verdict.INVALID
        return Verdict.REUSED if step <= row["totp_last_step"] else Verdict.OK
    if row["code_hash"] is None or not secrets.compare_digest(digest(code), row["code_hash"]):
        return Verdict.INVALID
    if now - (row["code_sent_at"] or 0) > CODE_TTL_S:
        return Verdict.CODE_EXPIRED
    return Verdict.OK
