"""Patients flows in both UI versions, field by field against the sandbox database."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import Portal

pytestmark = pytest.mark.browser

LIST_SQL = "SELECT * FROM patients"


def expected_list_item(row: sqlite3.Row) -> dict[str, Any]:
    """A patient as a list returns it: no address, no insurance (those need the chart)."""
    return {
        "patientId": row["id"], "mrn": row["mrn"], "firstName": row["first_name"],
        "lastName": row["last_name"], "dob": row["dob"], "sex": row["sex"],
        "contact": {"email": row["email"], "phone": row["phone"]},
        "address": None, "insurance": [],
        "primaryProviderId": row["primary_provider_id"],
        "portalEnrollment": {"status": row["portal_status"],
                             "invitedOn": row["portal_invited_on"]},
        "status": row["status"], "updatedAt": row["updated_at"],
    }


def by_id(entities: list[Any]) -> dict[str, dict[str, Any]]:
    out = {e.patient_id: e.to_json_dict() for e in entities}
    assert len(out) == len(entities), "a patient was returned twice"
    return out


def assert_same(portal: Portal, returned: list[Any], rows: list[sqlite3.Row]) -> None:
    assert rows, "the filter must match someone, or the test proves nothing"
    assert by_id(returned) == {r["id"]: expected_list_item(r) for r in rows}


async def test_list_returns_every_patient_over_all_pages(portal: Portal) -> None:
    result = await portal.run("valant.patients.list")
    rows = portal.query(LIST_SQL)
    assert len(rows) > 25  # more than one page in both versions
    assert_same(portal, result.outputs["Patient"], rows)
    assert result.portal_version == portal.version


async def test_search_by_mrn_finds_exactly_that_patient(portal: Portal) -> None:
    row = portal.query("SELECT * FROM patients ORDER BY mrn LIMIT 1 OFFSET 11")[0]
    result = await portal.run("valant.patients.list", {"query": row["mrn"]})
    assert_same(portal, result.outputs["Patient"], [row])


async def test_search_by_last_name(portal: Portal) -> None:
    name = portal.query("SELECT last_name FROM patients ORDER BY id LIMIT 1")[0][0]
    result = await portal.run("valant.patients.list", {"query": name})
    assert_same(portal, result.outputs["Patient"],
                portal.query(LIST_SQL + " WHERE last_name LIKE ? OR first_name LIKE ?",
                             f"{name}%", f"{name}%"))


async def test_incremental_updated_after(portal: Portal) -> None:
    cut = portal.query("SELECT updated_at FROM patients ORDER BY updated_at DESC "
                       "LIMIT 1 OFFSET 3")[0][0]
    result = await portal.run("valant.patients.list", {"updated_after": cut})
    assert_same(portal, result.outputs["Patient"],
                portal.query(LIST_SQL + " WHERE updated_at > ?", cut))


async def test_by_provider_and_active_on(portal: Portal) -> None:
    provider = portal.query(
        "SELECT primary_provider_id FROM patients WHERE status = 'active' "
        "GROUP BY primary_provider_id ORDER BY count(*) DESC LIMIT 1")[0][0]
    result = await portal.run("valant.patients.list",
                              {"provider_id": provider, "active_on": "2026-11-30"})
    assert_same(portal, result.outputs["Patient"], portal.query(
        LIST_SQL + " WHERE primary_provider_id = ? AND status = 'active'", provider))


async def test_dom_path_gives_the_same_patients_as_the_json_path(portal: Portal) -> None:
    provider = portal.query("SELECT primary_provider_id FROM patients "
                            "GROUP BY primary_provider_id ORDER BY count(*) DESC LIMIT 1")[0][0]
    rows = portal.query(LIST_SQL + " WHERE primary_provider_id = ?", provider)
    auto = await portal.run("valant.patients.list", {"provider_id": provider})
    assert_same(portal, auto.outputs["Patient"], rows)
    captured = any(s.id == "capture-first-page" for s in auto.steps)
    assert captured == (portal.version == "2026.1")  # the map says which path a version has
    if captured:  # 2025.4 has only the DOM path, already compared above
        dom = await portal.run("valant.patients.list", {"provider_id": provider, "path": "dom"})
        assert not any(s.id == "capture-first-page" for s in dom.steps)
        assert_same(portal, dom.outputs["Patient"], rows)


async def test_get_returns_the_full_chart(portal: Portal) -> None:
    row = portal.query(
        "SELECT p.* FROM patients p WHERE (SELECT count(*) FROM insurance_policies i "
        "WHERE i.patient_id = p.id) = 2 ORDER BY p.id LIMIT 1")[0]
    policies = portal.query("SELECT * FROM insurance_policies WHERE patient_id = ? "
                            "ORDER BY rank", row["id"])
    result = await portal.run("valant.patients.get", {"patient_id": row["id"]})
    [patient] = result.outputs["Patient"]
    expected = expected_list_item(row) | {
        "address": {"line1": row["line1"], "line2": None, "city": row["city"],
                    "region": row["region"], "postalCode": row["postal_code"],
                    "country": "US"},
        "insurance": [{"type": p["rank"], "payerId": p["payer_id"], "memberId": p["member_id"],
                       "groupNumber": p["group_number"], "effectiveStart": p["effective_start"],
                       "effectiveEnd": p["effective_end"], "policyId": p["id"]}
                      for p in policies],
    }
    assert patient.to_json_dict() == expected


async def test_dom_list_reads_each_chart_without_opening_it(portal: Portal) -> None:
    """Listing reads three chart tabs per patient from their fetched HTML: the browser
    never navigates to a chart (a navigation and a layout per tab made a 200-patient list
    take minutes), and every field still equals the database."""
    session = await portal.engine.session("valant")
    opened: list[str] = []

    def on_request(request: Any) -> None:
        if request.is_navigation_request() and "tab=" in request.url:
            opened.append(request.url.split("?")[1])  # the tab, not who

    session.context.on("request", on_request)
    try:
        result = await portal.run("valant.patients.list", {"path": "dom"})
    finally:
        session.context.remove_listener("request", on_request)
    assert_same(portal, result.outputs["Patient"], portal.query(LIST_SQL))
    assert opened == []
    chart_names = {r.name for r in result.resolutions if r.name.startswith("chart.")}
    assert {"chart.banner", "chart.phone", "chart.portal_status"} <= chart_names
