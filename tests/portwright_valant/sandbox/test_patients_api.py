"""The 2026.1 client's internal JSON endpoint: cursor paging, filters and 4xx reasons."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing

import httpx
import pytest

from portwright_valant.testing import SandboxHandle, http_session


@pytest.fixture(scope="module")
def client(sandbox_2026: SandboxHandle) -> Iterator[httpx.Client]:
    with closing(http_session(sandbox_2026)) as c:
        yield c


def test_cursor_paging_visits_every_patient_once_in_order(
    sandbox_2026: SandboxHandle, client: httpx.Client
) -> None:
    seen: list[str] = []
    cursor = ""
    while True:
        page = client.get("/api/v2/patients", params={"limit": 40, "cursor": cursor}).json()
        seen.extend(item["patientId"] for item in page["items"])
        cursor = page["nextCursor"]
        if cursor is None:
            break
    expected = [r["id"] for r in sandbox_2026.query(
        "SELECT id FROM patients ORDER BY last_name, first_name, id")]
    assert seen == expected
    assert page["total"] == len(expected)


def test_items_carry_the_patient_record(sandbox_2026: SandboxHandle,
                                        client: httpx.Client) -> None:
    item = client.get("/api/v2/patients", params={"q": "MRN-10010"}).json()["items"][0]
    row = sandbox_2026.query("SELECT * FROM patients WHERE mrn='MRN-10010'")[0]
    assert (item["patientId"], item["firstName"], item["lastName"], item["dob"],
            item["contact"]["phone"], item["status"], item["updatedAt"],
            item["primaryProvider"]["id"], item["portalEnrollment"]["status"]) == (
        row["id"], row["first_name"], row["last_name"], row["dob"], row["phone"],
        row["status"], row["updated_at"], row["primary_provider_id"], row["portal_status"])


def test_filters_match_the_database(sandbox_2026: SandboxHandle, client: httpx.Client) -> None:
    cutoff = "2026-06-01T00:00:00Z"
    data = client.get("/api/v2/patients", params={
        "status": "inactive", "updatedAfter": cutoff, "sort": "updated", "dir": "desc",
        "limit": 100}).json()
    expected = [r["id"] for r in sandbox_2026.query(
        "SELECT id FROM patients WHERE status='inactive' AND updated_at > ? "
        "ORDER BY updated_at DESC, id", cutoff)]
    assert [i["patientId"] for i in data["items"]] == expected and data["total"] == len(expected)
    dob = sandbox_2026.scalar("SELECT dob FROM patients WHERE mrn='MRN-10003'")
    y, m, d = dob.split("-")
    by_dob = client.get("/api/v2/patients", params={"q": f"{int(m)}/{int(d)}/{y}"}).json()
    assert "MRN-10003" in {i["mrn"] for i in by_dob["items"]}


@pytest.mark.parametrize(("params", "field"), [
    ({"cursor": "not-a-cursor"}, "cursor"),
    ({"sort": "shoe_size"}, "sort"),
    ({"status": "asleep"}, "status"),
    ({"updatedAfter": "yesterday"}, "updatedAfter"),
    ({"dir": "sideways"}, "dir"),
    ({"limit": "0"}, "limit"),
    ({"limit": "abc"}, "limit"),
    ({"limit": "100000"}, "limit"),
])
def test_bad_parameters_answer_400_with_field_and_reason(
    client: httpx.Client, params: dict[str, str], field: str
) -> None:
    """Every bad parameter, whether the portal's search or the type check refuses it, is
    named as the client sent it, in the one documented shape."""
    response = client.get("/api/v2/patients", params=params)
    assert response.status_code == 400, response.text
    body = response.json()
    assert set(body) == {"error", "field", "reason"}, body
    assert body["error"] == "invalid_parameter"
    assert body["field"] == field and body["reason"]


@pytest.mark.parametrize(("params", "field", "reason"), [
    ({}, "q", "q is required"),
    ({"q": ""}, "q", "q must not be empty"),
    ({"q": "MRN-10020", "limit": "abc"}, "limit", "limit must be a whole number"),
    ({"q": "MRN-10020", "limit": "21"}, "limit", "limit must be at most 20"),
])
def test_lookup_answers_bad_parameters_with_400_too(
    client: httpx.Client, params: dict[str, str], field: str, reason: str
) -> None:
    response = client.get("/api/v2/patients/lookup", params=params)
    assert response.status_code == 400, response.text
    assert response.json() == {"error": "invalid_parameter", "field": field, "reason": reason}


def test_range_reasons_name_the_bounds(client: httpx.Client) -> None:
    reasons = {value: client.get("/api/v2/patients", params={"limit": value}).json()["reason"]
               for value in ("0", "101", "2.5")}
    assert reasons == {"0": "limit must be at least 1", "101": "limit must be at most 100",
                       "2.5": "limit must be a whole number"}


def test_a_cursor_cannot_be_reused_with_other_filters(client: httpx.Client) -> None:
    cursor = client.get("/api/v2/patients", params={"limit": 5}).json()["nextCursor"]
    other = client.get("/api/v2/patients", params={"limit": 5, "status": "active",
                                                   "cursor": cursor})
    assert other.status_code == 400 and other.json()["field"] == "cursor"
