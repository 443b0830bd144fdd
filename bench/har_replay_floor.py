"""The floor under any browser replay: hand-written Playwright, live vs Playwright's own
``route_from_har``, on the same password sign-in (plus one list page) against the sandbox.

``replay_vs_live.py`` finds portwright's replay about as fast as a live run on loopback.
This script asks whether that is portwright's doing: it leaves portwright out entirely
(no engine, no resolver, no scrubbing, no in-order HAR router) and times the same steps
written directly against Playwright, first live against the sandbox (in its own process,
as a real portal would be), then served by Playwright's built-in HAR router from a HAR
recorded by Playwright itself. Each round uses a fresh context, as a replay does. Rounds
alternate so load on the machine affects both alike.

    .venv/bin/python bench/har_replay_floor.py [--rounds 15]

Prints the medians and the ratio live/replay.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from playwright.async_api import Browser, BrowserContext, Page, async_playwright
from support.sandbox_process import sandbox_process

from portwright.browser import launch

USERNAME, PASSWORD = "devadmin", "Valant-Dev-2025!"


async def sign_in_and_list(page: Page, base: str, phases: dict[str, float]) -> int:
    """Sign in with a password, open the task list; returns how many tasks it shows.
    Adds each phase's milliseconds to ``phases``."""
    mark = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        phases[name] = phases.get(name, 0.0) + (now - mark) * 1000
        mark = now

    await page.goto(f"{base}/dashboard")
    lap("open sign-in page")
    await page.locator("#login-email").fill(USERNAME)
    await page.locator("input[name=password]").fill(PASSWORD)
    lap("fill two fields")
    await page.locator("#login-submit").click()
    await page.locator("#current-user").wait_for()
    lap("submit, wait for signed-in page")
    await page.goto(f"{base}/tasks?status=all")
    rows = page.locator("#task-grid tbody tr.task-row")
    await rows.first.wait_for()
    count = await rows.count()
    lap("open and read the task list")
    return count


async def one_round(browser: Browser, base: str, har: Path | None, record: bool = False,
                    phases: dict[str, float] | None = None) -> tuple[float, int]:
    """Milliseconds for one fresh context (created, used, closed) and the rows it saw."""
    phases = {} if phases is None else phases
    started = time.perf_counter()
    context: BrowserContext
    if record:
        context = await browser.new_context(record_har_path=str(har), record_har_content="embed",
                                            service_workers="block")
    else:
        context = await browser.new_context(service_workers="block")
        if har is not None:
            await context.route_from_har(str(har), not_found="abort")
    try:
        page = await context.new_page()
        phases["new context and page"] = phases.get("new context and page", 0.0) + (
            time.perf_counter() - started) * 1000
        rows = await sign_in_and_list(page, base, phases)
    finally:
        closing = time.perf_counter()
        await context.close()
        phases["close context"] = phases.get("close context", 0.0) + (
            time.perf_counter() - closing) * 1000
    return (time.perf_counter() - started) * 1000, rows


async def measure(url: str, rounds: int) -> None:
    har = Path(tempfile.mkdtemp(prefix="bench-har-floor-")) / "session.har"
    async with async_playwright() as pw:
        browser = await launch(pw)
        try:
            _, live_rows = await one_round(browser, url, har, record=True)
            for _ in range(3):  # warm up both paths
                await one_round(browser, url, None)
                await one_round(browser, url, har)
            live: list[float] = []
            replay: list[float] = []
            live_phases: dict[str, float] = {}
            replay_phases: dict[str, float] = {}
            for _ in range(rounds):
                ms, _ = await one_round(browser, url, None, phases=live_phases)
                live.append(ms)
                ms, rows = await one_round(browser, url, har, phases=replay_phases)
                replay.append(ms)
                assert rows == live_rows, "the HAR replay showed other rows than live"
        finally:
            await browser.close()
    lm, rm = statistics.median(live), statistics.median(replay)
    print(f"live (sandbox on loopback):     {lm:7.1f} ms (median of {rounds})")
    print(f"Playwright route_from_har:      {rm:7.1f} ms (median of {rounds})")
    print(f"speed-up live/replay:           x{lm / rm:.2f}")
    print("mean ms per phase                   live   replay")
    for name, total in live_phases.items():
        print(f"  {name:32s} {total / rounds:6.1f}   {replay_phases[name] / rounds:6.1f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    with sandbox_process("2025.4") as url:  # the selectors below are 2025.4's
        asyncio.run(measure(url, args.rounds))


if __name__ == "__main__":
    main()
