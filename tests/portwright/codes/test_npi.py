"""NPI check digits against the CMS worked example and the vectors in codes.md."""

from __future__ import annotations

import pytest

from portwright.codes import is_valid_npi, npi_check_digit


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
