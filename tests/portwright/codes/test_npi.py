"""NPI check digits against the CMS worked example and the vectors in codes.md."""

from __future__ import annotations

import pytest

from portwright.codes import is_valid_npi, npi_check_digit


def _in_digits(text: str, zero: int) -> str:
    """``text`` with its ASCII digits written in another script (zero = that script's 0):
    0xFF10 full-width (an IME, a PDF copy), 0x0660 Arabic-Indic, 0x0966 Devanagari."""
    return text.translate({ord("0") + d: zero + d for d in range(10)})


FULL_WIDTH, ARABIC_INDIC, DEVANAGARI = 0xFF10, 0x0660, 0x0966


def test_cms_worked_example() -> None:
    assert npi_check_digit("123456789") == 3


@pytest.mark.parametrize(
    "npi", ["1234567893", "1912301953", "1558598797", "1467560003", "1000000004"]
)
def test_valid_npis(npi: str) -> None:
    assert is_valid_npi(npi)


@pytest.mark.parametrize(
    "npi",
    ["1234567890", "1912301954", "1999996666", "5812345679", "9876543210",
     "123456789", "12345678931", "12345678x3", ""],
)
def test_invalid_npis(npi: str) -> None:
    assert not is_valid_npi(npi)


def test_luhn_valid_but_wrong_first_digit_is_rejected() -> None:
    # 9999999995 passes the Luhn digit (codes.md) but NPIs start with 1 or 2.
    assert npi_check_digit("999999999") == 5
    assert not is_valid_npi("9999999995")


def test_base_must_be_nine_digits() -> None:
    with pytest.raises(ValueError):
        npi_check_digit("12345678")


@pytest.mark.parametrize("npi", [
    "1" + _in_digits("234567893", FULL_WIDTH), _in_digits("1234567893", FULL_WIDTH),
    "123456789" + _in_digits("3", FULL_WIDTH), _in_digits("1234567893", ARABIC_INDIC),
    _in_digits("1234567893", DEVANAGARI),
])
def test_digits_from_other_scripts_are_not_npi_digits(npi: str) -> None:
    # The same digits in ASCII, 1234567893, are the CMS worked example (valid).
    assert not is_valid_npi(npi)


def test_a_base_in_full_width_digits_has_no_check_digit() -> None:
    with pytest.raises(ValueError):
        npi_check_digit(_in_digits("123456789", FULL_WIDTH))
