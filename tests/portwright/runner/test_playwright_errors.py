"""Playwright's errors as a step error shows them: the failure and its call log, without
the request and response headers the call log lists (cookies, tokens) or query strings."""

from __future__ import annotations

import socket

import pytest
from playwright.async_api import Browser
from playwright.async_api import Error as PlaywrightError

from portwright.runner.playwright_errors import describe_playwright_error, unreachable_hint
from portwright.testing.pages_server import PagesServer, Reply

pytestmark = pytest.mark.browser


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_a_redirect_to_a_dead_host_loses_every_header_but_keeps_its_steps(
        browser: Browser) -> None:
    port = _closed_port()
    moved = Reply("", 302, headers={"Location": f"http://127.0.0.1:{port}/api/me?mrn=MRN-10007",
                                    "Set-Cookie": "renewed=set-cookie-value-42; Path=/"})
    context = await browser.new_context()
    try:
        with PagesServer({"/old": moved}) as portal:
            await context.add_cookies([{"name": "sid", "value": "cookie-value-17",
                                        "url": portal.url}])
            with pytest.raises(PlaywrightError) as info:
                await context.request.get(f"{portal.url}/old?q=Ann",
                                          headers={"X-Api-Key": "key-value-99"})
    finally:
        await context.close()
    raw = str(info.value)
    # the call log Playwright wrote really does carry them: what this module exists for
    assert "cookie-value-17" in raw and "set-cookie-value-42" in raw and "key-value-99" in raw

    shown = describe_playwright_error(raw, most_lines=100)
    assert shown.splitlines()[0] == raw.splitlines()[0].replace("?mrn=MRN-10007", "?…")
    for value in ("cookie-value-17", "set-cookie-value-42", "key-value-99", "MRN-10007",
                  "q=Ann"):
        assert value not in shown
    assert [line.strip()[:5] for line in shown.splitlines() if "→" in line or "←" in line
            ] == ["- → G", "- ← 3", "- → G"]   # both requests and the redirect stay
    assert unreachable_hint(raw) == (f"nothing answers at 127.0.0.1:{port}: is the portal "
                                     "(or the sandbox) running, and is the portal URL right?")


async def test_a_locator_wait_keeps_its_call_log_and_is_cut_to_length(
        browser: Browser) -> None:
    page = await browser.new_page()
    try:
        await page.set_content('<button disabled title="Quentin Marchbanks">Save</button>')
        with pytest.raises(PlaywrightError) as info:
            await page.get_by_role("button", name="Save").click(timeout=300)
    finally:
        await page.close()
    raw = str(info.value)
    assert "Quentin" in raw       # Playwright shows the element it found, as markup
    shown = describe_playwright_error(raw, most_lines=4)
    assert "Quentin" not in describe_playwright_error(raw, most_lines=100)
    assert "locator resolved to <button …>" in describe_playwright_error(raw, most_lines=100)
    assert shown.splitlines()[:2] == raw.strip().splitlines()[:2]  # nothing there is a header
    assert shown.splitlines()[-1] == "..." and len(shown.splitlines()) == 5
    assert unreachable_hint(raw) is None


async def test_a_click_under_an_overlay_says_what_covers_it_without_its_text(
        browser: Browser) -> None:
    """A "what's new" dialog over the Save button: the step error (and so the drift
    report) says the click was covered and by what, never what the dialog shows."""
    page_html = (
        '<button id="save" style="position:fixed;top:10px;left:10px">Save</button>'
        '<div class="modal" role="dialog" data-testid="whats-new" title="For Quentin Marchbanks"'
        ' style="position:fixed;inset:0;background:#fff">Welcome back, Quentin Marchbanks'
        '</div>')
    context = await browser.new_context()
    try:
        with PagesServer({"/chart": Reply(page_html)}) as portal:
            page = await context.new_page()
            await page.goto(f"{portal.url}/chart")
            with pytest.raises(PlaywrightError) as info:
                await page.click("#save", timeout=1500)
    finally:
        await context.close()
    raw = str(info.value)
    assert "intercepts pointer events" in raw and "Quentin" in raw  # what Playwright says
    shown = describe_playwright_error(raw)
    assert shown.endswith(
        '<div class="modal" role="dialog" data-testid="whats-new"> intercepts pointer events')
    assert "Quentin" not in shown and "Marchbanks" not in shown
    assert len(shown.splitlines()) <= 10
