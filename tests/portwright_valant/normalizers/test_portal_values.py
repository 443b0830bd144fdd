"""How the portal's display forms are read: dates, timestamps, names, codes, money."""

from __future__ import annotations

from decimal import Decimal

import pytest

from portwright.exceptions import EntityValidationError
from portwright_valant.adapter import ValantAdapter
from portwright_valant.normalizers.chart_items import parse_size
from portwright_valant.normalizers.portal_values import (
    codes,
    flag,
    free_text,
    money,
    person_name,
    portal_date,
    portal_timestamp,
    slug,
    text,
)

NORMALIZE = ValantAdapter.normalizers


def _full_width(text: str) -> str:
    """``text`` with its ASCII digits in full-width form (an IME, a copy from a PDF)."""
    return text.translate({ord("0") + d: 0xFF10 + d for d in range(10)})


PATIENT_ROW = {"patient_id": "pt_1", "first_name": "A", "last_name": "B",
               "dob": "1992-04-17", "sex": "female", "mrn": "MRN-1", "status": "active",
               "updated_at": "2026-01-20T11:02:43Z"}


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


@pytest.mark.parametrize(("shown", "iso"), [
    ("2026-01-20 11:02:43.5 UTC", "2026-01-20T11:02:43.500000Z"),
    ("2026-01-20T11:02:43.123 UTC", "2026-01-20T11:02:43.123000Z"),
    ("2026-01-20 11:02:43.123456", "2026-01-20T11:02:43.123456Z"),
])
def test_timestamps_with_fractional_seconds_keep_their_utc_reading(
    shown: str, iso: str
) -> None:
    # A "UTC" label (or the 2026.1 page's stated UTC) must not be dropped because the
    # seconds carry a fraction: the entity refuses naive timestamps, so the whole
    # record was lost.
    assert portal_timestamp(shown) == iso
    stamped = NORMALIZE["Patient"](PATIENT_ROW | {"updated_at": shown})
    assert stamped.to_json_dict()["updatedAt"] == iso


@pytest.mark.parametrize("shown", [_full_width("04/17/1992"), "04/17/" + _full_width("1992")])
def test_a_date_in_non_ascii_digits_is_not_made_iso(shown: str) -> None:
    # int() reads full-width digits, so a \d pattern turned these into 1992-04-17;
    # passed through unchanged, the entity refuses them (naming the field, not the value).
    assert portal_date(shown) == shown
    with pytest.raises(EntityValidationError) as caught:
        NORMALIZE["Patient"](PATIENT_ROW | {"dob": shown})
    assert [p.field for p in caught.value.problems] == ["dob"]


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


def test_typed_text_that_looks_like_an_empty_cell_is_kept() -> None:
    # a dash, N/A or None typed as a task title or a note is the text, not "no text"
    assert [free_text(v) for v in ("-", "N/A", "None", "\u2014")] == \
        ["-", "N/A", "None", "\u2014"]
    assert free_text("  O'Brien \n <José> & ") == "O'Brien <José> &"
    assert free_text("  ") is None and free_text(None) is None


def test_a_file_size_in_non_ascii_digits_is_not_read() -> None:
    assert parse_size("2,048 bytes") == 2048 and parse_size("2.0 KB") == 2048
    with pytest.raises(ValueError, match="file size"):
        parse_size(_full_width("2,048") + " bytes")
