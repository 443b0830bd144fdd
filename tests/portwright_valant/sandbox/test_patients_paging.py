"""Paging ``/api/v2/patients`` while other users change patients: the cursor continues after
the last row the client saw, so nobody is skipped and nobody unchanged comes twice.

Every change goes through the portal (a document upload touches ``updated_at``) or, for a
patient added by another user, straight into its database; the database is the ground
truth each walk is compared with.
"""

from __future__ import annotations

import base64
import json
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import closing
from typing import Any

import httpx
import pytest

from portwright_valant.testing import SandboxHandle, csrf_of, http_session

PAGE = 4
PDF = b"%PDF-1.4\n% intake\n%%EOF\n"


@pytest.fixture
def portal(make_sandbox: Callable[..., SandboxHandle]) -> SandboxHandle:
    """A portal of its own: these tests change patients."""
    return make_sandbox(patients=14)


@pytest.fixture
def client(portal: SandboxHandle) -> Iterator[httpx.Client]:
    with closing(http_session(portal)) as c:
        yield c


def pages(client: httpx.Client, **params: str) -> Iterator[list[dict[str, Any]]]:
    """Each page's items, following ``nextCursor`` to the end."""
    cursor = ""
    while True:
        response = client.get("/api/v2/patients", params={**params, "limit": str(PAGE),
                                                          "cursor": cursor})
        assert response.status_code == 200, response.text
        body = response.json()
        yield body["items"]
        if body["nextCursor"] is None:
            return
        cursor = body["nextCursor"]


def upload_document(client: httpx.Client, patient_id: str) -> None:
    """A document uploaded to the chart: the portal stamps the patient's ``updated_at``."""
    token = csrf_of(client.get(f"/patients/{patient_id}?tab=documents").text)
    response = client.post(f"/patients/{patient_id}/documents",
                           data={"csrf_token": token, "kind": "intake", "title": "Intake"},
                           files={"file": ("intake.pdf", PDF, "application/pdf")})
    assert response.status_code == 200, response.text


def add_patient(portal: SandboxHandle, last_name: str, updated_at: str) -> str:
    """A patient another user registered meanwhile."""
    template = portal.query("SELECT * FROM patients ORDER BY id LIMIT 1")[0]
    row = dict(template)
    row.update(id="pt_added", mrn="MRN-99999", last_name=last_name, first_name="Ada",
               updated_at=updated_at)
    state = portal.server.state
    conn = state.connect()
    try:
        with state.write_lock, conn:
            conn.execute(f"INSERT INTO patients ({', '.join(row)}) VALUES "
                         f"({', '.join('?' for _ in row)})", list(row.values()))
    finally:
        conn.close()
    return "pt_added"


def test_touching_patients_while_paging_by_update_time_skips_nobody(
    portal: SandboxHandle, client: httpx.Client
) -> None:
    """sort=updated: a document upload moves its patient to the end of the list. One
    already returned comes again, with its new ``updatedAt`` (it changed); nobody else
    moves up a page unseen, and nobody unchanged comes twice."""
    walk = pages(client, sort="updated")
    seen = list(next(walk))
    touched_seen = seen[0]["patientId"]
    upload_document(client, touched_seen)
    seen += next(walk)
    ahead = portal.query("SELECT id FROM patients ORDER BY updated_at, id")
    touched_ahead = next(r["id"] for r in ahead
                         if r["id"] not in {i["patientId"] for i in seen})
    upload_document(client, touched_ahead)
    added = add_patient(portal, "Newcomer", "2999-01-01T00:00:00Z")
    for items in walk:
        seen += items

    truth = {r["id"]: r["updated_at"] for r in portal.query("SELECT id, updated_at FROM patients")}
    counts = Counter(i["patientId"] for i in seen)
    assert set(counts) == set(truth), "patients skipped: " + repr(set(truth) - set(counts))
    twice = {pid for pid, n in counts.items() if n > 1}
    assert twice <= {touched_seen}, f"unchanged patients returned twice: {twice - {touched_seen}}"
    assert counts[touched_ahead] == 1 and counts[added] == 1
    latest = {i["patientId"]: i["updatedAt"] for i in seen}  # the last copy of each wins
    assert latest == truth


def test_a_patient_added_on_a_page_already_read_repeats_nobody(
    portal: SandboxHandle, client: httpx.Client
) -> None:
    """sort=name: a patient added before the cursor (and a chart touched, which keeps its
    place) does not push an already-returned patient onto the next page again."""
    before = [r["id"] for r in portal.query(
        "SELECT id FROM patients ORDER BY last_name, first_name, id")]
    walk = pages(client)
    seen = list(next(walk))
    add_patient(portal, "Aaronson", "2026-01-01T00:00:00Z")
    upload_document(client, seen[1]["patientId"])
    for items in walk:
        seen += items
    assert [i["patientId"] for i in seen] == before


def test_paging_by_update_time_descending_stays_in_order(
    portal: SandboxHandle, client: httpx.Client
) -> None:
    seen = [i["patientId"] for items in pages(client, sort="updated", dir="desc")
            for i in items]
    assert seen == [r["id"] for r in portal.query(
        "SELECT id FROM patients ORDER BY updated_at DESC, id")]


@pytest.mark.parametrize("sort", ["name", "mrn", "dob", "updated"])
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_every_sort_pages_through_every_patient_once_in_its_order(
    portal: SandboxHandle, client: httpx.Client, sort: str, direction: str
) -> None:
    whole = client.get("/api/v2/patients", params={"sort": sort, "dir": direction,
                                                   "limit": "100"}).json()
    assert whole["nextCursor"] is None
    paged = [i["patientId"] for items in pages(client, sort=sort, dir=direction)
             for i in items]
    assert paged == [i["patientId"] for i in whole["items"]]
    assert len(paged) == whole["total"] == portal.scalar("SELECT count(*) FROM patients")


def _unb64(cursor: str) -> bytes:
    return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))


def _edited(cursor: str) -> str:
    """The cursor with one byte of its content changed."""
    raw = bytearray(_unb64(cursor))
    raw[-3] ^= 0x01
    return base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")


def _moved_on(cursor: str) -> str:
    """The cursor with its row id changed, re-encoded cleanly (a client 'skipping ahead')."""
    data = json.loads(_unb64(cursor))
    data["i"] = "pt_elsewhere"
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


@pytest.mark.parametrize("make_bad", [
    pytest.param(_edited, id="edited"),
    pytest.param(_moved_on, id="re-encoded-with-another-row"),
    pytest.param(lambda c: c[:-3], id="truncated"),
    pytest.param(lambda c: "eyJvIjogNCwgImYiOiAifHx8fG5hbWV8YXNjIn0", id="old-offset-cursor"),
    pytest.param(lambda c: "%%%.###", id="garbage"),
])
def test_a_cursor_the_portal_did_not_issue_is_refused_with_a_reason(
    client: httpx.Client, make_bad: Callable[[str], str]
) -> None:
    cursor = client.get("/api/v2/patients", params={"limit": "3"}).json()["nextCursor"]
    response = client.get("/api/v2/patients", params={"limit": "3", "cursor": make_bad(cursor)})
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == "invalid_parameter" and body["field"] == "cursor"
    assert "not one this server issued" in body["reason"]
