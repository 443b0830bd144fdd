"""Field types: phones become E.164, dates are strict, timestamps are UTC, codes are real."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from portwright.entities import Contact, Patient, Provider, validate
from portwright.entities.types import to_e164, to_iso_date, to_utc_timestamp
from portwright.exceptions import EntityValidationError


def _in_digits(text: str, zero: int) -> str:
    """``text`` with its ASCII digits written in another script (zero = that script's 0):
    0xFF10 full-width (an IME, a PDF copy), 0x0660 Arabic-Indic, 0x0966 Devanagari."""
    return text.translate({ord("0") + d: zero + d for d in range(10)})


FULL_WIDTH, ARABIC_INDIC, DEVANAGARI = 0xFF10, 0x0660, 0x0966


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+1-206-555-0192", "+12065550192"),  # the reference example's own format
        ("+12065550192", "+12065550192"),
        ("(206) 555-0192", "+12065550192"),
        ("206.555.0192", "+12065550192"),
        ("1 206 555 0192", "+12065550192"),
        ("  206-555-0192 ", "+12065550192"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_phones_are_normalized_to_e164(raw: str, expected: str) -> None:
    assert to_e164(raw) == expected
    assert Contact(phone=raw).to_json_dict()["phone"] == expected


@pytest.mark.parametrize(
    "raw",
    [
        "555-0192",             # 7 digits: no area code
        "206-555-0192 x12",     # extension would be silently lost
        "206-JKL-0192",         # letters
        "(106) 555-0192",       # NANP area codes never start with 1
        "(206) 155-0192",       # nor exchanges
        "+1 206 555 019",       # +1 needs 10 digits
        "+0 123 4567",          # country codes never start with 0
        "+1234567890123456",    # longer than E.164's 15 digits
        "",
    ],
)
def test_bad_phones_are_refused(raw: str) -> None:
    with pytest.raises(ValueError):
        to_e164(raw)


def test_phone_errors_do_not_echo_the_number() -> None:
    with pytest.raises(EntityValidationError) as caught:
        validate(Contact, {"phone": "206-555-01927"})
    assert "206-555-01927" not in str(caught.value)
    assert caught.value.problems[0].field == "phone"


def test_timestamps_convert_offsets_to_utc_and_emit_z() -> None:
    moment = to_utc_timestamp("2026-01-25T07:00:00-08:00")
    assert moment == datetime(2026, 1, 25, 15, 0, tzinfo=UTC)
    assert moment.utcoffset() == timedelta(0)
    aware = datetime(2026, 1, 25, 16, 0, tzinfo=timezone(timedelta(hours=1)))
    assert to_utc_timestamp(aware) == datetime(2026, 1, 25, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("2026-01-20T11:02:43", "no UTC offset"),
        ("2026-01-20 11:02:43", "no UTC offset"),
        ("2026-01-20", "date only"),
        ("20/01/2026 11:02", "ISO 8601"),
        (1768906963, "ISO 8601"),
        (datetime(2026, 1, 20, 11, 2, 43), "no UTC offset"),  # naive datetime object
    ],
)
def test_naive_or_unclear_timestamps_are_refused(raw: object, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        to_utc_timestamp(raw)


def test_an_entity_emits_timestamps_with_z(patient_json: dict[str, object]) -> None:
    patient_json["updatedAt"] = "2026-01-20T03:02:43.250-08:00"
    emitted = validate(Patient, patient_json).to_json_dict()
    assert emitted["updatedAt"] == "2026-01-20T11:02:43.250000Z"


@pytest.mark.parametrize(
    "raw", ["01/02/2026", "2026-1-2", "2026-02-30", "20260102", "2026-01-02T00:00:00Z", 20260102]
)
def test_dates_must_be_real_iso_dates(raw: object) -> None:
    with pytest.raises(ValueError):
        to_iso_date(raw)


def test_a_datetime_is_not_a_date() -> None:
    with pytest.raises(ValueError, match="time"):
        to_iso_date(datetime(2026, 1, 2, tzinfo=UTC))
    assert to_iso_date(date(2026, 1, 2)) == date(2026, 1, 2)
    assert to_iso_date("2024-02-29") == date(2024, 2, 29)  # leap day


# NPI test vectors from shared/reference/codes.md §4.
@pytest.mark.parametrize(
    "npi", ["1234567893", "1912301953", "1558598797", "1467560003", "1000000004"]
)
def test_valid_npis_are_accepted(npi: str) -> None:
    provider = validate(Provider, {"providerId": "prv_1", "firstName": "A", "lastName": "B",
                                   "npi": npi})
    assert provider.npi == npi


@pytest.mark.parametrize(
    ("npi", "reason"),
    [
        ("1234567890", "check digit"),
        ("1912301954", "check digit"),
        ("1999996666", "expected 7"),   # the reference says the check digit should be 7
        ("5812345679", "starts with 1 or 2"),
        ("9876543210", "starts with 1 or 2"),
        ("9999999995", "starts with 1 or 2"),  # Luhn-valid, but the first digit is wrong
        ("123456789", "10 digits"),
        ("12345678931", "10 digits"),
    ],
)
def test_invalid_npis_are_refused_with_the_reason(npi: str, reason: str) -> None:
    with pytest.raises(EntityValidationError) as caught:
        validate(Provider, {"providerId": "prv_1", "firstName": "A", "lastName": "B",
                            "npi": npi})
    (problem,) = caught.value.problems
    assert problem.field == "npi"
    assert reason in problem.message


def test_taxonomy_and_email_are_checked() -> None:
    provider = validate(Provider, {"providerId": "p", "firstName": "A", "lastName": "B",
                                   "npi": "1234567893", "taxonomyCode": "1041c0700x",
                                   "email": "Dr.Who@Clinic.EXAMPLE"})
    assert provider.taxonomy_code == "1041C0700X"
    assert provider.email == "Dr.Who@clinic.example"
    with pytest.raises(EntityValidationError) as caught:
        validate(Provider, {"providerId": "p", "firstName": "A", "lastName": "B",
                            "npi": "1234567893", "taxonomyCode": "Behavioral Health",
                            "email": "not-an-email"})
    assert {p.field for p in caught.value.problems} == {"taxonomyCode", "email"}


# Digits from other scripts: str.isdigit and regex \d accept them, SMS gateways, payers and
# clearinghouses do not. Full-width forms are what a Japanese IME or a copy from a PDF
# gives; the entity must refuse them rather than store "+1" followed by full-width digits.
@pytest.mark.parametrize(
    "raw",
    [
        "(" + _in_digits("206", FULL_WIDTH) + ") " + _in_digits("555-0192", FULL_WIDTH),
        "+1" + _in_digits("2065550192", FULL_WIDTH),
        _in_digits("206-555-0192", ARABIC_INDIC),
        "+44 " + _in_digits("20 7946 0958", DEVANAGARI),
    ],
)
def test_phones_in_non_ascii_digits_are_refused(raw: str) -> None:
    with pytest.raises(EntityValidationError) as caught:
        validate(Contact, {"phone": raw})
    (problem,) = caught.value.problems
    assert problem.field == "phone" and "0-9" in problem.message
    assert raw not in str(caught.value)


def test_an_npi_in_full_width_digits_is_refused() -> None:
    with pytest.raises(EntityValidationError) as caught:
        validate(Provider, {"providerId": "prv_1", "firstName": "A", "lastName": "B",
                            "npi": "1" + _in_digits("234567893", FULL_WIDTH)})
    assert "10 digits (0-9)" in caught.value.problems[0].message


@pytest.mark.parametrize(
    "raw", [_in_digits("2026", FULL_WIDTH) + "-01-02", "2026-01-" + _in_digits("02", FULL_WIDTH)]
)
def test_dates_in_non_ascii_digits_are_refused_as_not_iso(raw: str) -> None:
    with pytest.raises(ValueError, match="ISO 8601 date"):
        to_iso_date(raw)


def test_a_taxonomy_code_in_full_width_digits_is_refused() -> None:
    with pytest.raises(EntityValidationError) as caught:
        validate(Provider, {"providerId": "p", "firstName": "A", "lastName": "B",
                            "npi": "1234567893",
                            "taxonomyCode": _in_digits("104", FULL_WIDTH) + "C0700X"})
    assert caught.value.problems[0].field == "taxonomyCode"
