"""The 2026.1 client list's "Load more" disappears after the last page (its ``hidden``
attribute wins over the button style), so a DOM reader that clicks until the button
goes away reads every client once; 2025.4 pages by number and has no such button."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from playwright.async_api import expect

if TYPE_CHECKING:
    from conftest import Portal

pytestmark = pytest.mark.browser


async def test_load_more_goes_away_after_the_last_page(portal: Portal) -> None:
    await portal.run("valant.login")  # signs the engine's session in (no-op when healthy)
    session = await portal.engine.session("valant")
    page = await session.context.new_page()
    try:
        await page.goto(f"{portal.server.url}/patients")
        more = page.get_by_test_id("load-more")
        if portal.version == "2025.4":
            await expect(page.locator("#patient-grid")).to_be_visible()
            assert await more.count() == 0
            return
        rows = page.get_by_test_id("client-row")
        await expect(rows).to_have_count(25)
        await more.click()
        await expect(rows).to_have_count(portal.query("SELECT count(*) FROM patients")[0][0])
        await expect(more).to_be_hidden()
        ids = await rows.evaluate_all("rs => rs.map(r => r.dataset.id)")
        assert len(set(ids)) == len(ids)
    finally:
        await page.close()
