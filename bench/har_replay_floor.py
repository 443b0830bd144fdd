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
from portwright_valant.testing import DEV_ACCOUNT

USERNAME, PASSWORD = DEV_ACCOUNT


class Laps:
    """Milliseconds per named phase, summed over rounds: ``lap(name)`` ends a phase."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = {}
        self.start()

    def start(self) -> None:
        self.mark = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.totals[name] = self.totals.get(name, 0.0) + (now - self.mark) * 1000
        self.mark = now


async def sign_in_and_list(page: Page, base: str, laps: Laps) -> int:
    """Sign in with a password, open the task list; returns how many tasks it shows."""
    await page.goto(f"{base}/dashboard")
    laps.lap("open sign-in page")
    await page.locator("#login-email").fill(USERNAME)
    await page.locator("input[name=password]").fill(PASSWORD)
    laps.lap("fill two fields")
    await page.locator("#login-submit").click()
    await page.locator("#current-user").wait_for()
    laps.lap("submit, wait for signed-in page")
    await page.goto(f"{base}/tasks?status=all")
    rows = page.locator("#task-grid tbody tr.task-row")
    await rows.first.wait_for()
    count = await rows.count()
    laps.lap("open and read the task list")
    return count


async def one_round(browser: Browser, base: str, har: Path, laps: Laps, *,
                    replay: bool = True, record: bool = False) -> tuple[float, int]:
    """Milliseconds for one fresh context (created, used, closed) and the rows it saw:
    live (``replay=False``), recording ``har`` (``record=True``) or replaying it."""
    started = time.perf_counter()
    laps.start()
    context: BrowserContext
    if record:
        context = await browser.new_context(record_har_path=str(har), record_har_content="embed",
                                            service_workers="block")
    else:
        context = await browser.new_context(service_workers="block")
        if replay:
            await context.route_from_har(str(har), not_found="abort")
    try:
        page = await context.new_page()
        laps.lap("new context and page")
        rows = await sign_in_and_list(page, base, laps)
    finally:
        laps.start()
        await context.close()
        laps.lap("close context")
    return (time.perf_counter() - started) * 1000, rows


async def measure(url: str, rounds: int) -> None:
    live_laps, replay_laps, unused = Laps(), Laps(), Laps()
    with tempfile.TemporaryDirectory(prefix="bench-har-floor-") as folder:
        har = Path(folder) / "session.har"
        async with async_playwright() as pw:
            browser = await launch(pw)
            try:
                _, live_rows = await one_round(browser, url, har, unused, record=True)
                for _ in range(3):  # warm up both paths
                    await one_round(browser, url, har, unused, replay=False)
                    await one_round(browser, url, har, unused)
                live: list[float] = []
                replay: list[float] = []
                for _ in range(rounds):
                    ms, _ = await one_round(browser, url, har, live_laps, replay=False)
                    live.append(ms)
                    ms, rows = await one_round(browser, url, har, replay_laps)
                    replay.append(ms)
                    assert rows == live_rows, "the HAR replay showed other rows than live"
            finally:
                await browser.close()
    lm, rm = statistics.median(live), statistics.median(replay)
    print(f"live (sandbox on loopback):     {lm:7.1f} ms (median of {rounds})")
    print(f"Playwright route_from_har:      {rm:7.1f} ms (median of {rounds})")
    print(f"speed-up live/replay:           x{lm / rm:.2f}")
    print("mean ms per phase                   live   replay")
    for name, total in live_laps.totals.items():
        print(f"  {name:32s} {total / rounds:6.1f}   {replay_laps.totals[name] / rounds:6.1f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    with sandbox_process("2025.4") as url:  # the selectors below are 2025.4's
        asyncio.run(measure(url, args.rounds))


if __name__ == "__main__":
    main()
