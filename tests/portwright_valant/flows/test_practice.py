"""Providers and locations in both UI versions against the sandbox database."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Portal

pytestmark = pytest.mark.browser


async def test_providers_match_the_database(portal: Portal) -> None:
    result = await portal.run("valant.providers.list")
    got = {p.provider_id: p.to_json_dict() for p in result.outputs["Provider"]}
    rows = portal.query("SELECT * FROM providers")
    # 2026.1's clinician list no longer shows e-mail addresses
    shows_email = portal.version == "2025.4"
    assert got == {r["id"]: {
        "providerId": r["id"], "firstName": r["first_name"], "lastName": r["last_name"],
        "credential": r["credential"], "npi": r["npi"], "taxonomyCode": r["taxonomy_code"],
        "specialty": r["specialty"], "email": r["email"] if shows_email else None,
        "phone": None, "locationId": r["location_id"],
        "status": "active" if r["active"] else "inactive",
    } for r in rows}


def set_active(portal: Portal, provider_id: str, active: int) -> None:
    conn = portal.server.state.connect()
    try:
        conn.execute("UPDATE providers SET active = ? WHERE id = ?", (active, provider_id))
        conn.commit()
    finally:
        conn.close()


async def test_an_inactive_provider_is_listed_as_inactive(portal: Portal) -> None:
    # a clinician who left stays on the list; reporting them active would offer them for
    # booking and billing (the seed has only active providers, so one is made inactive)
    leaver = portal.scalar("SELECT id FROM providers ORDER BY id DESC LIMIT 1")
    set_active(portal, leaver, 0)
    try:
        result = await portal.run("valant.providers.list")
        truth = {r["id"]: "active" if r["active"] else "inactive"
                 for r in portal.query("SELECT id, active FROM providers")}
    finally:
        set_active(portal, leaver, 1)
    assert truth[leaver] == "inactive"
    assert {p.provider_id: p.status for p in result.outputs["Provider"]} == truth


async def test_locations_match_the_database(portal: Portal) -> None:
    result = await portal.run("valant.locations.list")
    got = {loc.location_id: loc.to_json_dict() for loc in result.outputs["Location"]}
    assert got == {r["id"]: {
        "locationId": r["id"], "name": r["name"],
        "address": {"line1": r["line1"], "line2": None, "city": r["city"],
                    "region": r["region"], "postalCode": r["postal_code"], "country": "US"},
        "phone": r["phone"], "defaultPlaceOfService": r["default_pos"],
    } for r in portal.query("SELECT * FROM locations")}
