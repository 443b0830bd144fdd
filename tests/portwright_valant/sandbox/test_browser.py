"""Driving the portal in real Chromium, in both UI releases: the same data, another UI.

Page through patients, book an appointment through the form (typeahead included) and
find it in the database, and trigger the inline validation errors.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import date, timedelta

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, expect

from portwright_valant.testing import SandboxHandle, sign_in

pytestmark = pytest.mark.browser


@pytest_asyncio.fixture(loop_scope="session")
async def page(browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context()
    context.set_default_timeout(15_000)
    yield await context.new_page()
    await context.close()


def _by_name(sandbox: SandboxHandle, offset: int, limit: int = 25) -> list[str]:
    return [r["id"] for r in sandbox.query(
        "SELECT id FROM patients ORDER BY last_name, first_name, id LIMIT ? OFFSET ?",
        limit, offset)]


def _day(sandbox: SandboxHandle, offset: int) -> str:
    today = date.fromisoformat(sandbox.scalar("SELECT value FROM meta WHERE key='today'"))
    return (today + timedelta(days=110 + offset)).isoformat()


async def _row_ids(page: Page, selector: str) -> list[str]:
    return [await r.get_attribute("data-id") or "" for r in await page.locator(selector).all()]


async def test_2025_pages_through_patients_in_name_order(
    page: Page, sandbox_2025: SandboxHandle
) -> None:
    await sign_in(page, sandbox_2025, next_path="/patients")
    await expect(page.locator('meta[name="app-version"]')).to_have_attribute(
        "content", "2025.4.7")
    assert await _row_ids(page, "#patient-grid tr.patient-row") == _by_name(sandbox_2025, 0)
    await page.locator("#pager-next").click()
    await expect(page.locator("#page-current")).to_have_text("2")
    assert await _row_ids(page, "#patient-grid tr.patient-row") == _by_name(sandbox_2025, 25)
    last = await page.locator("#pager a.page-link").last.text_content()
    assert int(last or 0) == -(-sandbox_2025.scalar("SELECT count(*) FROM patients") // 25)
    await page.locator("#search-text").fill("MRN-10042")
    await page.locator("#search-button").click()
    await expect(page.locator("tr.patient-row")).to_have_count(1)
    assert await page.locator("tr.patient-row td.col-mrn").text_content() == "MRN-10042"


async def test_2026_loads_more_patients_from_the_internal_api(
    page: Page, sandbox_2026: SandboxHandle
) -> None:
    await sign_in(page, sandbox_2026, next_path="/patients")
    await expect(page.locator('meta[name="app-version"]')).to_have_attribute(
        "content", "2026.1.2")
    table = page.get_by_test_id("clients-table")
    await expect(table).to_have_attribute("data-state", "ready")
    rows = page.get_by_test_id("client-row")
    await expect(rows).to_have_count(25)
    await page.get_by_role("button", name="Load more").click()
    await expect(rows).to_have_count(50)
    assert await _row_ids(page, '[data-testid="client-row"]') == _by_name(sandbox_2026, 0, 50)
    total = sandbox_2026.scalar("SELECT count(*) FROM patients")
    await expect(page.get_by_test_id("clients-count")).to_have_text(f"50 of {total} clients")
    first_id = _by_name(sandbox_2026, 0, 1)[0]
    first = sandbox_2026.query("SELECT * FROM patients WHERE id = ?", first_id)[0]
    dob = rows.first.locator('[data-col="dob"]')
    y, m, d = first["dob"].split("-")
    await expect(dob).to_have_text(f"{m}/{d}/{y}")


async def test_2025_books_an_appointment_through_the_form(
    page: Page, sandbox_2025: SandboxHandle
) -> None:
    patient = sandbox_2025.query("SELECT * FROM patients ORDER BY mrn LIMIT 1 OFFSET 7")[0]
    provider = sandbox_2025.query("SELECT * FROM providers ORDER BY id LIMIT 1 OFFSET 1")[0]
    day = _day(sandbox_2025, 0)
    await sign_in(page, sandbox_2025, next_path="/appointments/new")
    await page.get_by_label("Patient").fill(patient["mrn"])
    await page.locator("#patient-suggestions li").first.click()
    await expect(page.locator("#appt-patient-id")).to_have_value(patient["id"])
    await page.get_by_label("Provider").select_option(provider["id"])
    await page.get_by_label("Location").select_option(provider["location_id"])
    await page.get_by_label("Appointment Type").select_option("Medication Management")
    await page.get_by_label("CPT Code(s)").fill("99214, 90833")
    await page.get_by_label("Diagnosis Codes (ICD-10)").fill("F32.1")
    await page.get_by_label("Date").fill(day)
    await page.get_by_label("Start Time").fill("14:00")
    await page.get_by_label("End Time").fill("14:30")
    await page.get_by_label("Text Message").check()
    await page.get_by_label("External Reference ID").fill("browser-2025-book")
    await page.get_by_role("button", name="Save Appointment").click()
    await expect(page.locator("#flash-message")).to_have_text("Appointment created")
    rows = sandbox_2025.query("SELECT * FROM appointments WHERE reference_id='browser-2025-book'")
    assert len(rows) == 1
    row = rows[0]
    assert page.url.startswith(f"{sandbox_2025.url}/appointments/{row['id']}")
    assert (row["patient_id"], row["provider_id"], row["appointment_type"],
            row["service_codes"], row["diagnosis_codes"], row["start_time"],
            row["reminder_sms"], row["place_of_service"]) == (
        patient["id"], provider["id"], "Medication Management", "99214,90833", "F32.1",
        f"{day}T14:00:00Z", 1, "11")
    await expect(page.locator("#appt-id")).to_have_text(row["id"])


async def test_2025_validation_errors_are_inline_and_nothing_is_written(
    page: Page, sandbox_2025: SandboxHandle
) -> None:
    before = sandbox_2025.scalar("SELECT count(*) FROM appointments")
    await sign_in(page, sandbox_2025, next_path="/appointments/new")
    await page.get_by_label("Patient").fill("MRN-99999999")
    await page.get_by_label("Appointment Type").select_option("Follow-up")
    await page.get_by_label("Diagnosis Codes (ICD-10)").fill("F41.1")
    await page.get_by_label("Date").fill(_day(sandbox_2025, 1))
    await page.get_by_label("Start Time").fill("10:00")
    await page.get_by_label("End Time").fill("09:15")
    await page.get_by_role("button", name="Save Appointment").click()
    await expect(page.locator("#error-end_time")).to_have_text(
        "End time must be after the start time")
    await expect(page.locator("#error-patient_id")).to_have_text("Patient not found")
    await expect(page.locator("#error-provider_id")).to_have_text("Provider is required")
    await expect(page.get_by_label("Start Time")).to_have_value("10:00")  # input kept
    assert sandbox_2025.scalar("SELECT count(*) FROM appointments") == before


async def test_2026_books_in_the_modal_and_shows_errors_there(
    page: Page, sandbox_2026: SandboxHandle
) -> None:
    patient = sandbox_2026.query("SELECT * FROM patients ORDER BY mrn LIMIT 1 OFFSET 9")[0]
    provider = sandbox_2026.query("SELECT * FROM providers ORDER BY id LIMIT 1 OFFSET 2")[0]
    day = _day(sandbox_2026, 2)
    await sign_in(page, sandbox_2026, next_path="/schedule")
    await page.get_by_role("button", name="+ Book visit").click()
    dialog = page.get_by_role("dialog")
    await expect(dialog).to_be_visible()
    # first attempt: end before start → the modal comes back open with the error
    await dialog.get_by_role("combobox", name="Client").fill(patient["last_name"])
    option = dialog.get_by_role("option").filter(has_text=patient["mrn"])
    await option.click()
    await dialog.get_by_label("Clinician").select_option(provider["id"])
    await dialog.get_by_label("Site").select_option(provider["location_id"])
    await dialog.get_by_label("Visit type").select_option("Follow-up")
    await dialog.get_by_label("Diagnoses").fill("F43.10")
    await dialog.get_by_label("Day").fill(day)
    await dialog.get_by_label("From").fill("15:00")
    await dialog.get_by_label("To").fill("14:00")
    await dialog.get_by_label("External reference").fill("browser-2026-book")
    await dialog.get_by_role("button", name="Book visit").click()
    dialog = page.get_by_role("dialog")
    await expect(dialog.get_by_test_id("error-end_time")).to_have_text(
        "End time must be after the start time")
    assert sandbox_2026.scalar(
        "SELECT count(*) FROM appointments WHERE reference_id='browser-2026-book'") == 0
    await dialog.get_by_label("To").fill("15:45")
    await dialog.get_by_role("button", name="Book visit").click()
    await expect(page.get_by_test_id("toast")).to_have_text("Appointment created")
    rows = sandbox_2026.query("SELECT * FROM appointments WHERE reference_id='browser-2026-book'")
    assert len(rows) == 1
    assert (rows[0]["patient_id"], rows[0]["provider_id"], rows[0]["start_time"],
            rows[0]["end_time"], rows[0]["service_codes"], rows[0]["diagnosis_codes"]) == (
        patient["id"], provider["id"], f"{day}T15:00:00Z", f"{day}T15:45:00Z", "90834",
        "F43.10")
    await expect(page.get_by_test_id("visit-id")).to_have_text(rows[0]["id"])


async def test_2026_slow_render_fault_shows_skeleton_rows_first(
    page: Page, make_sandbox: Callable[..., SandboxHandle]
) -> None:
    slow = make_sandbox(ui_version="2026.1", patients=30, faults="slow_render=1500ms")
    await sign_in(page, slow, next_path="/dashboard")
    await page.goto(f"{slow.url}/patients")
    await expect(page.get_by_test_id("skeleton-row").first).to_be_visible()
    await expect(page.get_by_test_id("clients-table")).to_have_attribute("data-state", "loading")
    await expect(page.get_by_test_id("client-row")).to_have_count(25)
    await expect(page.get_by_test_id("skeleton-row")).to_have_count(0)
    await expect(page.get_by_test_id("clients-table")).to_have_attribute("data-state", "ready")
