"""What a scrubbed value was: a secret (fixed placeholder) or PHI (deterministic pseudonym).

Secrets become *fixed* placeholders because nothing downstream may depend on them, and
replay normalizes them anyway. PHI becomes a *pseudonym* because extracted data must stay
realistic and consistent: the same patient is the same fake patient in the HAR and in the
golden output.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["PLACEHOLDERS", "Kind", "PhiKind", "SecretKind", "parse_kind"]


class SecretKind(StrEnum):
    PASSWORD = "password"
    MFA_CODE = "mfa_code"
    TOKEN = "token"
    CSRF = "csrf"
    SESSION_COOKIE = "session_cookie"
    SECRET = "secret"


class PhiKind(StrEnum):
    NAME = "name"  # one name token (first, middle or last name)
    FULL_NAME = "full_name"  # "First Last" or "Last, First"
    DATE = "date"  # date of birth (any common format)
    MRN = "mrn"
    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"  # a street line
    CITY = "city"
    ZIP = "zip"
    MEMBER_ID = "member_id"
    SSN = "ssn"
    IDENTIFIER = "identifier"  # any other identifying code: format kept, characters changed


Kind = SecretKind | PhiKind

#: fixed placeholders; the MFA code stays six digits so a form's pattern check still passes
PLACEHOLDERS: dict[SecretKind, str] = {
    SecretKind.PASSWORD: "pw-redacted-password",
    SecretKind.MFA_CODE: "000000",
    SecretKind.TOKEN: "pw-redacted-token",
    SecretKind.CSRF: "pw-redacted-csrf",
    SecretKind.SESSION_COOKIE: "pw-redacted-session",
    SecretKind.SECRET: "pw-redacted",
}


def parse_kind(text: str) -> Kind:
    """A kind from its policy spelling; ``ValueError`` lists the valid ones."""
    for enum in (SecretKind, PhiKind):
        try:
            return enum(text)
        except ValueError:
            continue
    valid = ", ".join([k.value for k in SecretKind] + [k.value for k in PhiKind])
    raise ValueError(f"unknown kind '{text}'; valid kinds: {valid}")
