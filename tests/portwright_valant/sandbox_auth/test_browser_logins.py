"""Signing in with a real Chromium, in both UI versions, with every MFA kind and SSO.

The selectors are what an integration engineer would write for each release: the two
versions differ in ids, labels and button texts, and both must work.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.async_api import BrowserContext, Page, expect

from portwright_valant.sandbox.auth.accounts import IDP_ACCOUNTS, account

pytestmark = pytest.mark.browser

UI = {
    "2025.4": {
        "username": "Email or Username", "password": "Password", "submit": "Sign in",
        "code": "Verification Code", "verify": "Verify", "remember": "#remember-device",
        "error": "#mfa-error", "sso": "#sso-link", "resend": "Send a new code",
    },
    "2026.1": {
        "username": "Work email or username", "password": "Password", "submit": "Log in",
        "code": "Enter the 6-digit code", "verify": "Continue",
        "remember": "[data-testid=trust-device]", "error": "[data-testid=otp-error]",
        "sso": "[data-testid=sso-button]", "resend": "Resend code",
    },
}
VERSIONS = pytest.mark.parametrize("ui", list(UI))


async def _password_step(page: Page, ui: str, url: str, username: str, password: str) -> None:
    sel = UI[ui]
    await page.goto(url + "/dashboard")
    await expect(page).to_have_url(re.compile(r"/login\?next=%2Fdashboard$"))
    await expect(page.locator('meta[name="app-version"]')).to_have_attribute(
        "content", re.compile("^" + re.escape(ui)))
    await page.get_by_label(sel["username"]).fill(username)
    await page.get_by_label(sel["password"], exact=True).fill(password)
    await page.get_by_role("button", name=sel["submit"], exact=True).click()
    await expect(page).to_have_url(re.compile(r"/login/mfa"))


async def _code_step(page: Page, ui: str, code: str, remember: bool = False) -> None:
    sel = UI[ui]
    await page.get_by_label(sel["code"]).fill(code)
    if remember:
        await page.locator(sel["remember"]).check()
    await page.get_by_role("button", name=sel["verify"], exact=True).click()


def _live_via(server, username: str) -> list[str]:
    with server.state.connect() as conn:
        return [r[0] for r in conn.execute(
            "SELECT s.via FROM sessions s JOIN users u ON u.id = s.user_id"
            " WHERE u.username = ? AND s.ended_at IS NULL", (username,))]


@VERSIONS
async def test_totp_login(ui, portals, context: BrowserContext, fresh_totp):
    server = portals[ui]
    admin = account("admin")
    page = await context.new_page()
    await _password_step(page, ui, server.url, admin.username, admin.password)
    await _code_step(page, ui, "000000")
    await expect(page.locator(UI[ui]["error"])).to_contain_text("Invalid code")
    await _code_step(page, ui, fresh_totp(server, admin.totp_secret, "users", "admin"))
    await expect(page).to_have_url(server.url + "/dashboard")
    assert "mfa:totp" in _live_via(server, "admin")
    cookies = {c["name"]: c for c in await context.cookies()}
    assert cookies["vl_session"]["httpOnly"]


@VERSIONS
async def test_email_login_with_remembered_device(ui, portals, context: BrowserContext, inbox):
    server = portals[ui]
    scheduler = account("scheduler")
    address = scheduler.email(server.config.mail_domain)
    mark = inbox.mark(address)
    page = await context.new_page()
    await _password_step(page, ui, server.url, scheduler.username, scheduler.password)
    [mail] = inbox.messages_after(address, mark)
    await _code_step(page, ui, mail["code"], remember=True)
    await expect(page).to_have_url(server.url + "/dashboard")

    # signed out and back in: this browser is remembered, no code is asked
    await context.clear_cookies(name="vl_session")
    await page.goto(server.url + "/dashboard")
    await page.get_by_label(UI[ui]["username"]).fill(scheduler.username)
    await page.get_by_label(UI[ui]["password"], exact=True).fill(scheduler.password)
    await page.get_by_role("button", name=UI[ui]["submit"], exact=True).click()
    await expect(page).to_have_url(server.url + "/dashboard")
    assert inbox.messages_after(address, mail["uid"]) == []
    assert "device" in _live_via(server, "scheduler")


@VERSIONS
async def test_sms_login_after_asking_for_a_new_code(
        ui, portals, context: BrowserContext, twilio_client):
    server = portals[ui]
    clinician = account("clinician")
    client = twilio_client(server)
    asked = datetime.now(UTC) - timedelta(seconds=1)
    page = await context.new_page()
    await _password_step(page, ui, server.url, clinician.username, clinician.password)
    await page.get_by_role("button", name=UI[ui]["resend"]).click()
    await expect(page).to_have_url(re.compile(r"/login/mfa\?resent=1"))
    texts = client.messages.list(to=clinician.phone, date_sent_after=asked, limit=20)
    assert len(texts) >= 2  # the first code and the new one
    newest = texts[0]
    with server.state.connect() as conn:  # the API lists newest first, as Twilio does
        assert conn.execute("SELECT sid FROM sms_messages ORDER BY date_created DESC"
                            " LIMIT 1").fetchone()[0] == newest.sid
    code = re.search(r"\b(\d{6})\b", newest.body).group(1)
    await _code_step(page, ui, code)
    await expect(page).to_have_url(server.url + "/dashboard")
    assert "mfa:sms" in _live_via(server, "clinician")


@VERSIONS
async def test_sso_login_through_the_identity_provider(
        ui, portals, context: BrowserContext, fresh_totp):
    server = portals[ui]
    jordan = IDP_ACCOUNTS[0]
    page = await context.new_page()
    await page.goto(server.url + "/login?next=/dashboard")
    await page.locator(UI[ui]["sso"]).click()
    await expect(page.locator("#idp-brand")).to_have_text("NORTHWIND ID")
    await page.get_by_label("Username").fill(jordan.username)
    await page.get_by_label("Password").fill(jordan.password)
    await page.get_by_role("button", name="Next").click()
    await page.get_by_label("Authenticator code").fill(
        fresh_totp(server, jordan.totp_secret, "idp_users", jordan.username))
    await page.get_by_role("button", name="Verify").click()
    await expect(page).to_have_url(server.url + "/dashboard")
    assert "sso" in _live_via(server, "jlee")
