"""How the portal's display forms are read: dates, timestamps, names, codes, money."""

from __future__ import annotations

from decimal import Decimal

import pytest

from portwright_valant.normalizers.portal_values import (
    codes,
    flag,
    money,
    person_name,
    portal_date,
    portal_timestamp,
    slug,
    text,
)


@pytest.mark.parametrize(("shown", "iso"), [
    ("1992-04-17", "1992-04-17"), ("04/17/1992", "1992-04-17"), ("4/7/1992", "1992-04-07"),
    ("", None), ("open", None), ("never", None), ("—", None),
])
def test_dates_in_both_ui_versions(shown: str, iso: str | None) -> None:
    assert portal_date(shown) == iso


@pytest.mark.parametrize(("shown", "iso"), [
    ("2026-01-25T15:00:00Z", "2026-01-25T15:00:00Z"),
    ("2026-01-25 15:00", "2026-01-25T15:00:00Z"),  # 2026.1 prints UTC without the zone
    ("2026-01-25 15:00 UTC", "2026-01-25T15:00:00Z"),
    ("2026-01-25T07:00:00-08:00", "2026-01-25T07:00:00-08:00"),  # kept; the entity converts
    ("never", None),
])
def test_timestamps(shown: str, iso: str | None) -> None:
    assert portal_timestamp(shown) == iso


def test_names_last_comma_first_first_last_and_separate_fields() -> None:
    assert person_name({"name": "Nguyen, Avery"}) == ("Avery", "Nguyen")
    assert person_name({"name": "Avery Nguyen"}) == ("Avery", "Nguyen")
    assert person_name({"name": "O'Brien, Mary Ann"}) == ("Mary Ann", "O'Brien")
    assert person_name({"first_name": "Ana", "last_name": "de la Cruz", "name": "x"}) == \
        ("Ana", "de la Cruz")


def test_codes_flags_slugs_and_money() -> None:
    assert codes("99214, 90833") == codes("99214 + 90833") == ["99214", "90833"]
    assert codes(["f41.1"]) == ["F41.1"]
    assert [flag(v) for v in ("Yes", "no", "✓", "", True)] == [True, False, True, False, True]
    with pytest.raises(ValueError, match="yes/no"):
        flag("maybe")
    assert slug("Checked-in") == "checked_in" and slug("Patient Portal") == "patient_portal"
    assert money("$1,234.50") == Decimal("1234.50") and money("(12.00)") == Decimal("-12.00")
    assert text("  a \n b ") == "a b" and text("—") is None
