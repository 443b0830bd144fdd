"""National Provider Identifier check digit (CMS: Luhn over the ``80840`` prefix).

Neither pyx12 nor the clearinghouse sample files check it, so a mistyped NPI would
otherwise travel all the way to the payer and come back as a rejection days later.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["is_valid_npi", "npi_check_digit"]

#: Luhn over "80840" contributes this constant (CMS "Requirements for NPI Check Digit").
_PREFIX_CONSTANT = 24


def npi_check_digit(base: str) -> int:
    """The check digit for a 9-digit NPI base (CMS example: ``123456789`` → 3)."""
    if len(base) != 9 or not (base.isascii() and base.isdigit()):
        raise ValueError("an NPI base is exactly 9 digits")
    total = _PREFIX_CONSTANT
    # Double every other digit starting from the rightmost digit of the base.
    for position, char in enumerate(reversed(base)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return (10 - total % 10) % 10


@lru_cache(maxsize=8192)  # batches repeat the same few providers
def is_valid_npi(npi: str) -> bool:
    """True for 10 digits starting with 1 or 2 whose last digit is the Luhn check digit.

    Digits are 0-9 only: ``str.isdigit`` (and ``int``) also take full-width and other
    scripts' digits, which an 837P NM109 or an NPPES lookup would not recognise.
    """
    if len(npi) != 10 or not (npi.isascii() and npi.isdigit()) or npi[0] not in "12":
        return False
    return npi_check_digit(npi[:9]) == int(npi[9])
