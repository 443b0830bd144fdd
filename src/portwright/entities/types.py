"""Annotated field types every entity shares: phones, dates, timestamps and billing codes.

Each type normalizes on the way in and says precisely what is wrong when it cannot, so a
normalizer can hand over what the portal shows ("(206) 555-0192", "f329", "2") and the
entity always carries one canonical form ("+12065550192", "F32.9", "02"). Error messages
never repeat the offending value for personal fields (phones, emails, dates): they end up
in logs, and those values are PHI. Codes are echoed because a billing user needs to see
which code was refused.

The billing rules themselves live in :mod:`portwright.codes`; these types only adapt them
to pydantic.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    BeforeValidator,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
)

from portwright.codes import (
    billable_icd10_examples,
    icd10_level,
    is_billable_icd10,
    is_valid_cpt,
    is_valid_icd10,
    is_valid_modifier,
    is_valid_npi,
    is_valid_pos,
    normalize_icd10,
    npi_check_digit,
)

__all__ = [
    "CptCode",
    "E164Phone",
    "Email",
    "EntityId",
    "Icd10Code",
    "IsoDate",
    "Modifier",
    "NonEmptyStr",
    "Npi",
    "PastDate",
    "PosCode",
    "TaxonomyCode",
    "UtcTimestamp",
    "to_e164",
    "to_iso_date",
    "to_utc_timestamp",
]

# ---------------------------------------------------------------------------------------
# Phones
# ---------------------------------------------------------------------------------------

# [0-9], not \d: \d and str.isdigit also match other scripts' digits (full-width,
# Arabic-Indic...), which no SMS gateway, payer or clearinghouse reads as a number.
_PHONE_SEPARATORS = re.compile(r"[\s\-.()/]")
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")


def _ascii_digits(text: str) -> bool:
    """True for a non-empty run of 0-9 only (``str.isdigit`` alone accepts U+FF12)."""
    return text.isascii() and text.isdigit()


def to_e164(value: object) -> str:
    """Normalize a phone number to E.164 (``+12065550192``).

    Accepted: E.164 itself, ``+`` with separators (``+1-206-555-0192``,
    ``+44 20 7946 0958``), and North American numbers without a country code
    (``(206) 555-0192``, ``206.555.0192``, ``1 206 555 0192``). Numbers without ``+``
    are read as NANP because the portals portwright serves are US practices; anything
    else must carry its ``+country`` prefix. Extensions and letters are refused rather
    than silently dropped.
    """
    if not isinstance(value, str):
        raise ValueError("a phone number must be a string")
    raw = value.strip()
    if not raw:
        raise ValueError("a phone number cannot be empty")
    compact = _PHONE_SEPARATORS.sub("", raw)
    if compact.startswith("+"):
        digits = compact[1:]
        if not _ascii_digits(digits):
            raise ValueError(
                "a phone number may contain only the digits 0-9, spaces, '-', '.', '(' and ')' "
                "after '+' (no extensions or letters)"
            )
        candidate = "+" + digits
        if not _E164.match(candidate):
            raise ValueError(
                "not an E.164 number: '+', a country code not starting with 0, "
                "and 7 to 15 digits in all"
            )
        if digits.startswith("1"):
            _check_nanp(digits[1:])
        return candidate
    if not _ascii_digits(compact):
        raise ValueError(
            "a phone number may contain only the digits 0-9, spaces, '-', '.', '(' and ')' "
            "(no extensions or letters)"
        )
    if len(compact) == 11 and compact.startswith("1"):
        compact = compact[1:]
    if len(compact) != 10:
        raise ValueError(
            "a number without '+country' must be a 10-digit North American number; "
            "write other numbers in E.164 form (+<country><number>)"
        )
    _check_nanp(compact)
    return "+1" + compact


def _check_nanp(national: str) -> None:
    """North American numbers: 10 digits, area code and exchange not starting with 0/1."""
    if len(national) != 10:
        raise ValueError("a +1 (North American) number has exactly 10 digits after +1")
    if national[0] in "01":
        raise ValueError("a North American area code cannot start with 0 or 1")
    if national[3] in "01":
        raise ValueError("a North American exchange (digits 4-6) cannot start with 0 or 1")


E164Phone = Annotated[
    str,
    BeforeValidator(to_e164),
    WithJsonSchema({
        "type": "string",
        "pattern": r"^\+[1-9]\d{6,14}$",
        "description": "Phone in E.164 form, e.g. +12065550192 (input may use common "
                       "US formats; output is always E.164).",
    }),
]
"""A phone number, always stored and emitted as E.164."""

# ---------------------------------------------------------------------------------------
# Dates and timestamps
# ---------------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_HAS_TIME = re.compile(r"^[0-9]{4}-?[0-9]{2}-?[0-9]{2}[T ]")


def to_iso_date(value: object) -> date:
    """A calendar date written ``YYYY-MM-DD`` (or a ``date``; a ``datetime`` is refused).

    Strict on purpose: ``01/02/2026`` means January or February depending on who typed
    it, and a timestamp silently truncated to a date can shift a day across time zones.
    """
    if isinstance(value, datetime):
        raise ValueError("expected a date (YYYY-MM-DD), got a date with a time")
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError("expected a date string YYYY-MM-DD")
    text = value.strip()
    if _HAS_TIME.match(text):
        raise ValueError("expected a date (YYYY-MM-DD) without a time")
    if not _ISO_DATE.match(text):
        raise ValueError("expected an ISO 8601 date YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError("not a real calendar date (YYYY-MM-DD)") from None


IsoDate = Annotated[
    date,
    BeforeValidator(to_iso_date),
    WithJsonSchema({"type": "string", "format": "date",
                    "description": "Calendar date, YYYY-MM-DD."}),
]
"""A calendar date (no time, no zone), emitted as ``YYYY-MM-DD``."""


def to_utc_timestamp(value: object) -> datetime:
    """An ISO 8601 timestamp with an explicit offset, converted to UTC.

    Naive timestamps are refused, never assumed to be UTC or local: a portal showing
    "3:00 PM" in the clinic's zone would otherwise shift every appointment by hours.
    Offsets other than UTC are converted (``2026-01-25T07:00:00-08:00`` →
    ``2026-01-25T15:00:00Z``). Epoch numbers are refused (seconds or milliseconds?).
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        text = value.strip()
        if _ISO_DATE.match(text):
            raise ValueError(
                "expected a timestamp with time and UTC offset, got a date only"
            )
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(
                "expected an ISO 8601 timestamp such as 2026-01-20T11:02:43Z"
            ) from None
    else:
        raise ValueError("expected an ISO 8601 timestamp string such as 2026-01-20T11:02:43Z")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(
            "timestamp has no UTC offset; add 'Z' or an offset like '-08:00' "
            "(naive times are ambiguous)"
        )
    return moment.astimezone(UTC)


def _format_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


UtcTimestamp = Annotated[
    datetime,
    BeforeValidator(to_utc_timestamp),
    PlainSerializer(_format_utc, return_type=str, when_used="json"),
    WithJsonSchema({
        "type": "string",
        "format": "date-time",
        "pattern": r"Z$",
        "description": "UTC timestamp, ISO 8601 with 'Z' (input may carry any offset; "
                       "naive times are refused).",
    }),
]
"""A point in time, held as an aware UTC ``datetime`` and emitted with ``Z``."""

# ---------------------------------------------------------------------------------------
# Identifiers and text
# ---------------------------------------------------------------------------------------

NonEmptyStr = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""Text that must say something (names, titles)."""

EntityId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                            max_length=128)]
"""An identifier as the portal issues it (``pt_92c10f``); opaque to portwright."""

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def _email(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("an email address must be a string")
    text = value.strip()
    if not _EMAIL.match(text):
        raise ValueError("not an email address (expected name@domain.tld)")
    local, domain = text.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


Email = Annotated[
    str,
    BeforeValidator(_email),
    WithJsonSchema({"type": "string", "format": "email"}),
]
"""An email address; the domain is lower-cased (the local part is case-sensitive)."""

# ---------------------------------------------------------------------------------------
# Billing codes
# ---------------------------------------------------------------------------------------


def _icd10(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("an ICD-10-CM code must be a string")
    text = value.strip().upper()
    if not is_valid_icd10(text):
        raise ValueError(f"{text!r} is not an ICD-10-CM code (CMS code list)")
    code = normalize_icd10(text)
    if not is_billable_icd10(code):
        # Suggest leaves only: a suggestion that is itself refused (F10 → F10.1) helps
        # nobody. A chapter number or block range is named as such, not as a category.
        examples = billable_icd10_examples(code)
        example = f" such as {', '.join(examples)}" if examples else ""
        level = icd10_level(code)
        if level in ("chapter", "block"):
            what = "chapter number" if level == "chapter" else "block (a range of categories)"
            raise ValueError(
                f"{code!r} is an ICD-10-CM {what}, not a diagnosis code; "
                f"use a billable code{example}"
            )
        raise ValueError(
            f"{code!r} is an ICD-10-CM category, not a billable code; "
            f"use a more specific code{example}"
        )
    return code


Icd10Code = Annotated[
    str,
    BeforeValidator(_icd10),
    WithJsonSchema({
        "type": "string",
        "pattern": r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$",
        "description": "Billable (leaf) ICD-10-CM code in dotted form, e.g. F41.1.",
    }),
]
"""A billable ICD-10-CM code (a leaf of the CMS list), normalized to ``F32.9`` form."""


def _cpt(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("a CPT/HCPCS code must be a string (e.g. \"90834\")")
    code = value.strip().upper()
    if not is_valid_cpt(code):
        raise ValueError(
            f"{code!r} is not a CPT/HCPCS code (5 digits, 4 digits + F/T, "
            "or a letter + 4 digits)"
        )
    return code


CptCode = Annotated[
    str,
    BeforeValidator(_cpt),
    WithJsonSchema({
        "type": "string",
        "pattern": r"^(\d{5}|\d{4}[FT]|[A-V]\d{4})$",
        "description": "CPT (Category I/II/III) or HCPCS Level II code, e.g. 90834.",
    }),
]
"""A well-formed CPT or HCPCS Level II procedure code."""


def _pos(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError("a place-of-service code must be a two-digit string such as \"11\"")
    text = str(value).strip()
    if _ascii_digits(text) and len(text) == 1:
        text = "0" + text
    if not is_valid_pos(text):
        raise ValueError(f"{text!r} is not an assigned CMS place-of-service code")
    return text


PosCode = Annotated[
    str,
    BeforeValidator(_pos),
    WithJsonSchema({
        "type": "string",
        "pattern": r"^\d{2}$",
        "description": "CMS place-of-service code, two digits, e.g. 11 (office), "
                       "02/10 (telehealth).",
    }),
]
"""One of the 52 assigned CMS place-of-service codes, always two digits."""


def _npi(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("an NPI must be a string of 10 digits")
    text = value.strip()
    if len(text) != 10 or not _ascii_digits(text):
        raise ValueError("an NPI is exactly 10 digits (0-9)")
    if text[0] not in "12":
        raise ValueError("an NPI starts with 1 or 2")
    if not is_valid_npi(text):
        raise ValueError(
            f"NPI {text} fails its check digit (expected {npi_check_digit(text[:9])} "
            "as the last digit)"
        )
    return text


Npi = Annotated[
    str,
    BeforeValidator(_npi),
    WithJsonSchema({"type": "string", "pattern": r"^[12]\d{9}$",
                    "description": "National Provider Identifier (Luhn check digit)."}),
]
"""A National Provider Identifier whose check digit is right."""

_TAXONOMY = re.compile(r"^[0-9]{3}[0-9A-Z]{6}X$")


def _taxonomy(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("a taxonomy code must be a string")
    text = value.strip().upper()
    if not _TAXONOMY.match(text):
        raise ValueError(f"{text!r} is not a NUCC taxonomy code (10 characters ending in X)")
    return text


TaxonomyCode = Annotated[
    str,
    BeforeValidator(_taxonomy),
    WithJsonSchema({"type": "string", "pattern": r"^\d{3}[0-9A-Z]{6}X$",
                    "description": "NUCC provider taxonomy code, e.g. 1041C0700X."}),
]
"""A NUCC health-care provider taxonomy code."""


def _modifier(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("a modifier must be a two-character string")
    text = value.strip().upper()
    if not is_valid_modifier(text):
        raise ValueError(f"{text!r} is not a known procedure modifier")
    return text


Modifier = Annotated[
    str,
    BeforeValidator(_modifier),
    WithJsonSchema({"type": "string", "pattern": r"^[A-Z0-9]{2}$"}),
]
"""A known procedure modifier (``95``, ``93``, ``GT``, ``HO``...)."""


def _not_future(value: date) -> date:
    if value > datetime.now(UTC).date():
        raise ValueError("date is in the future")
    return value


PastDate = Annotated[IsoDate, AfterValidator(_not_future)]
"""A date that cannot lie ahead (date of birth)."""
