"""Playwright's errors as a step error shows them: the failure and its call log, without
the request and response headers the call log lists (cookies, tokens) or query strings."""

from __future__ import annotations

import socket
from collections.abc import Awaitable, Callable

import pytest
from playwright.async_api import Browser, Page, expect
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


#: a chart a failing locator or assertion runs into: a patient's name and MRN shown, the
#: name in labels, a password typed
NAME, MRN, PASSWORD = "Quentin Marchbanks", "MRN-4471902", "pw-S3cr3t-8812"
CHART = f"""<table><tr><td class="pt">{NAME}</td><td class="mrn">{MRN}</td></tr>
<tr><td class="pt">{NAME}</td></tr><tr><td class="pt">{NAME} jr</td></tr></table>
<input id="pw" type="password" aria-label="Password">
<div id="banner" title="{MRN}">{NAME}</div>
<button id="later" style="display:none" title="{NAME}">{NAME}</button>"""


def _assert_nothing_of_the_chart(shown: str) -> None:
    for value in ("Quentin", "Marchbanks", "4471902", PASSWORD):
        assert value not in shown, f"{value!r} is shown"


async def _raised(browser: Browser, act: Callable[[Page], Awaitable[object]]) -> str:
    """What ``act`` fails with on the chart (its password field filled) in Chromium."""
    page = await browser.new_page()
    try:
        await page.set_content(CHART)
        await page.fill("#pw", PASSWORD)
        with pytest.raises((PlaywrightError, AssertionError)) as info:
            await act(page)
    finally:
        await page.close()
    return str(info.value)


async def test_a_strict_mode_violation_lists_the_matches_by_tag_without_their_names(
        browser: Browser) -> None:
    """Playwright lists each match as markup, with a locator naming it by its text
    (``aka get_by_role("cell", name="Quentin ...")``): three cells, by tag alone."""
    raw = await _raised(browser, lambda page: page.locator("td.pt").click(timeout=500))
    assert "Marchbanks" in raw and " aka " in raw
    shown = describe_playwright_error(raw)
    _assert_nothing_of_the_chart(shown)
    assert " aka " not in shown
    assert shown.splitlines()[:4] == [
        'Locator.click: Error: strict mode violation: locator("td.pt") resolved to 3 elements:',
        "    1) <td …>", "    2) <td …>", "    3) <td …>"]
    assert '  - waiting for locator("td.pt")' in shown.splitlines()


async def test_a_failed_expectation_keeps_what_was_checked_but_not_the_aria_snapshot(
        browser: Browser) -> None:
    """An ``expect`` appends an aria snapshot of the page: every name on it, every
    field's value, the typed password among them. What was expected of which locator
    stays; a found state ("hidden") is no one's PHI and stays too."""
    raw = await _raised(browser, lambda page: expect(page.locator("#later")).to_be_visible(
        timeout=500))
    assert "Aria snapshot:" in raw and PASSWORD in raw and MRN in raw
    shown = describe_playwright_error(raw, most_lines=100)
    _assert_nothing_of_the_chart(shown)
    assert "Aria snapshot" not in shown
    assert shown.splitlines()[:2] == ["Locator expected to be visible", "Actual value: hidden"]
    assert 'Expect "to_be_visible" locator("#later") with timeout 500ms' in shown
    assert "locator resolved to <button …>" in shown


async def test_a_failed_text_expectation_shows_neither_the_text_found_nor_expected(
        browser: Browser) -> None:
    raw = await _raised(browser, lambda page: expect(page.locator("#banner")).to_have_text(
        "Quentin Marchbanks Sr", timeout=500))
    assert "Actual value: Quentin Marchbanks" in raw
    shown = describe_playwright_error(raw, most_lines=100)
    _assert_nothing_of_the_chart(shown)
    assert shown.splitlines()[:2] == ["Locator expected to have text '…'", "Actual value: …"]
    assert 'waiting for locator("#banner")' in shown and 'unexpected value "…"' in shown


async def test_a_failed_aria_snapshot_match_shows_none_of_the_page_it_read(
        browser: Browser) -> None:
    """The found snapshot is quoted over many lines, each ending in a quote of its own."""
    raw = await _raised(browser, lambda page: expect(page.locator("body")).to_match_aria_snapshot(
        "- button", timeout=500))
    shown = describe_playwright_error(raw, most_lines=100)
    _assert_nothing_of_the_chart(shown)
    assert 'Expect "to_match_aria_snapshot" locator("body") with timeout 500ms' in shown


async def test_a_page_at_a_patients_path_that_does_not_answer_is_hinted_by_its_host(
        browser: Browser) -> None:
    port = _closed_port()
    raw = await _raised(browser, lambda page: page.goto(
        f"http://127.0.0.1:{port}/patients/{MRN}/chart", timeout=3000))
    assert unreachable_hint(raw) == (
        f"nothing answers at http://127.0.0.1:{port}/: is the portal (or the sandbox) "
        "running, and is the portal URL right?")
