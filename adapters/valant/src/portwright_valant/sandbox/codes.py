"""Billing and clinical code facts the sandbox seeds with and validates against.

Kept in one table-driven module so the seed and the form validation agree: an
appointment the seed writes would pass the portal's own form checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "APPOINTMENT_TYPES",
    "CPT_CHARGES",
    "ICD10_CODES",
    "ICD10_PATTERN",
    "PLACES_OF_SERVICE",
    "AppointmentType",
    "npi_check_digit",
    "npi_is_valid",
]


@dataclass(frozen=True)
class AppointmentType:
    """An appointment type with the service codes and length it is booked with."""

    name: str
    service_codes: tuple[str, ...]
    minutes: int


APPOINTMENT_TYPES: dict[str, AppointmentType] = {
    t.name: t
    for t in (
        AppointmentType("Intake", ("90791",), 60),
        AppointmentType("Follow-up", ("90834",), 45),
        AppointmentType("Follow-up (60)", ("90837",), 60),
        AppointmentType("Medication Management", ("99214", "90833"), 30),
        AppointmentType("Group", ("90853",), 60),
    )
}

#: CPT code → the practice's fee schedule charge in dollars
CPT_CHARGES: dict[str, float] = {
    "90791": 210.00,
    "90792": 240.00,
    "90832": 95.00,
    "90834": 135.00,
    "90837": 175.00,
    "90833": 85.00,
    "90836": 110.00,
    "90838": 140.00,
    "90839": 190.00,
    "90846": 125.00,
    "90847": 130.00,
    "90853": 60.00,
    "99212": 80.00,
    "99213": 110.00,
    "99214": 155.00,
    "99215": 210.00,
}

#: billable leaf ICD-10-CM codes from chapter F, with their short descriptions
ICD10_CODES: dict[str, str] = {
    "F41.1": "Generalized anxiety disorder",
    "F32.1": "Major depressive disorder, single episode, moderate",
    "F32.0": "Major depressive disorder, single episode, mild",
    "F33.1": "Major depressive disorder, recurrent, moderate",
    "F43.10": "Post-traumatic stress disorder, unspecified",
    "F43.12": "Post-traumatic stress disorder, chronic",
    "F43.23": "Adjustment disorder with mixed anxiety and depressed mood",
    "F90.0": "ADHD, predominantly inattentive type",
    "F40.10": "Social phobia, unspecified",
    "F31.81": "Bipolar II disorder",
    "F41.0": "Panic disorder without agoraphobia",
    "F42.2": "Mixed obsessional thoughts and acts",
}

#: format check for an ICD-10-CM code as typed into the form (letter, 2 digits, optional .x-xxxx)
ICD10_PATTERN = re.compile(r"^[A-TV-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")

PLACES_OF_SERVICE: dict[str, str] = {
    "11": "Office",
    "02": "Telehealth Provided Other than in Patient's Home",
    "10": "Telehealth Provided in Patient's Home",
    "53": "Community Mental Health Center",
}

_NPI_PREFIX_SUM = 24  # the Luhn contribution of the 80840 prefix, per CMS


def npi_check_digit(base9: str) -> str:
    """The Luhn check digit of a 9-digit NPI base, computed with the 80840 prefix."""
    total = _NPI_PREFIX_SUM
    for index, char in enumerate(reversed(base9)):
        digit = int(char)
        if index % 2 == 0:
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return str((10 - total % 10) % 10)


def npi_is_valid(npi: str) -> bool:
    """True for a 10-digit NPI starting with 1 or 2 whose check digit is right."""
    return (
        len(npi) == 10 and npi.isdigit() and npi[0] in "12" and npi_check_digit(npi[:9]) == npi[9]
    )
