"""Saved sessions: cookies, localStorage and sessionStorage survive a save/restore, and
the file on disk is encrypted. Uses a real Chromium; the origin is served by routing."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from playwright.async_api import Browser, Route

from portwright.auth.sessions import (
    SavedSession,
    SessionVault,
    StorageSnapshot,
    capture,
    restore,
)

pytestmark = pytest.mark.browser

ORIGIN = "http://portal.test"
PAGE = "<html><body><h1>portal</h1></body></html>"


async def _serve(route: Route) -> None:
    await route.fulfill(status=200, content_type="text/html", body=PAGE)


async def test_storage_round_trip_through_the_encrypted_vault(
    browser: Browser, tmp_path: Path
) -> None:
    ctx = await browser.new_context()
    await ctx.route(f"{ORIGIN}/**", _serve)
    page = await ctx.new_page()
    await page.goto(f"{ORIGIN}/app")
    await ctx.add_cookies([{"name": "sid", "value": "cookie-token-5150", "url": ORIGIN}])
    await page.evaluate("""() => {
        localStorage.setItem('prefs', 'local-value-77');
        sessionStorage.setItem('bearer', 'session-token-9931');
    }""")
    snapshot = await capture(ctx)
    await ctx.close()
    assert snapshot.session_storage == {ORIGIN: {"bearer": "session-token-9931"}}

    key = Fernet.generate_key()
    vault = SessionVault(tmp_path, lambda: Fernet(key))
    path = vault.save(SavedSession("valant", "admin", snapshot, saved_at=1.0))
    raw = path.read_bytes()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # the cookie's name is looked for as JSON text ('"sid"'): a bare 3-letter string turns
    # up by chance in random ciphertext now and then
    for plain in (b"cookie-token-5150", b"local-value-77", b"session-token-9931", b'"sid"'):
        assert plain not in raw

    loaded = SessionVault(tmp_path, lambda: Fernet(key)).load("valant", "admin")
    assert loaded is not None and loaded.saved_at == 1.0
    restored = await restore(browser, loaded.snapshot)
    try:
        await restored.route(f"{ORIGIN}/**", _serve)
        page = await restored.new_page()
        await page.goto(f"{ORIGIN}/app")
        values = await page.evaluate(
            "() => [document.cookie, localStorage.getItem('prefs'),"
            " sessionStorage.getItem('bearer')]"
        )
        assert values == ["sid=cookie-token-5150", "local-value-77", "session-token-9931"]
    finally:
        await restored.close()


def test_vault_lists_and_drops(tmp_path: Path) -> None:
    key = Fernet.generate_key()
    vault = SessionVault(tmp_path, lambda: Fernet(key))
    empty = StorageSnapshot(storage_state={"cookies": [], "origins": []})
    vault.save(SavedSession("valant", "admin", empty, saved_at=2.0))
    vault.save(SavedSession("valant", "biller", empty, saved_at=3.0))
    assert [(s.portal, s.account) for s in vault.all()] == [
        ("valant", "admin"), ("valant", "biller")
    ]
    assert vault.drop("valant", "admin") is True
    assert vault.drop("valant", "admin") is False
    assert [s.account for s in vault.all("valant")] == ["biller"]
