"""What one browser context costs with portwright's launch flags vs Playwright's defaults.

Every run and every replay starts a fresh browser context (a headless *window*), so its
cost is paid once per flow run. Chromium 15x preloads the address bar's WebUI popups
into every window; portwright's launch turns them off (``UNUSED_UI_FEATURES`` in
``portwright/browser.py``). This script opens and closes contexts (context, first page,
a trivial page, close) on both launches and prints the median wall time and the CPU all
Chromium processes used, then replays every committed recording on each launch, one at a
time and four at a time, with the machine's CPU time over each.

    .venv/bin/python bench/context_cost.py [--contexts 25] [--no-suite]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time

from playwright.async_api import Browser, Playwright, async_playwright

from portwright.browser import LAUNCH_ARGS, PLAYWRIGHT_DISABLED_FEATURES, discover_browser
from portwright.recording.replayer import find_recordings, replay_many, replay_recording
from portwright.settings import load_settings

#: portwright's flags without its ``--disable-features`` (Playwright's own list then holds)
PLAYWRIGHT_DEFAULTS = tuple(a for a in LAUNCH_ARGS if not a.startswith("--disable-features="))


def machine_cpu_s() -> float:
    """CPU seconds the whole machine has spent busy (user + system + nice + irq)."""
    with open("/proc/stat") as stat:
        ticks = [int(v) for v in stat.readline().split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


async def launch_with(pw: Playwright, args: tuple[str, ...]) -> Browser:
    choice = discover_browser()
    return await pw.chromium.launch(
        executable_path=str(choice.executable) if choice.executable else None, args=list(args))


async def contexts(browser: Browser, count: int) -> tuple[float, float]:
    """Median ms of context + page + trivial content + close, and CPU s per context."""
    times = []
    cpu_before = machine_cpu_s()
    for _ in range(count + 2):
        started = time.perf_counter()
        context = await browser.new_context()
        page = await context.new_page()
        await page.set_content("<p>one context</p>")
        await context.close()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[2:]), (machine_cpu_s() - cpu_before) / (count + 2)


async def suite(browser: Browser) -> str:
    settings = load_settings()
    recordings = find_recordings(settings)
    await replay_recording(recordings[0], settings=settings, browser=browser)  # warm-up
    cpu, started = machine_cpu_s(), time.perf_counter()
    for paths in recordings:
        outcome = await replay_recording(paths, settings=settings, browser=browser)
        assert outcome.matches, f"{paths.folder} does not replay to golden"
    one = f"{time.perf_counter() - started:.1f} s ({machine_cpu_s() - cpu:.1f} s CPU)"
    cpu, started = machine_cpu_s(), time.perf_counter()
    outcomes = await replay_many(recordings, settings=settings, browser=browser)
    assert all(getattr(o, "matches", False) for o in outcomes.values())
    four = f"{time.perf_counter() - started:.1f} s ({machine_cpu_s() - cpu:.1f} s CPU)"
    return f"{len(recordings)} replays: one at a time {one}, four at a time {four}"


async def main(count: int, with_suite: bool) -> None:
    print(f"Playwright disables {len(PLAYWRIGHT_DISABLED_FEATURES)} features; "
          f"portwright repeats them and adds its own")
    async with async_playwright() as pw:
        for label, args in (("Playwright's defaults", PLAYWRIGHT_DEFAULTS),
                            ("portwright's launch", LAUNCH_ARGS)):
            browser = await launch_with(pw, args)
            ms, cpu = await contexts(browser, count)
            print(f"{label:22} context+page+close median {ms:4.0f} ms, "
                  f"{cpu * 1000:4.0f} ms CPU each")
            if with_suite:
                print(f"{'':22} {await suite(browser)}")
            await browser.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contexts", type=int, default=25)
    parser.add_argument("--no-suite", action="store_true", help="skip the replay suite")
    args = parser.parse_args()
    asyncio.run(main(args.contexts, not args.no_suite))
