"""Resolving a logical name with three strategies (primary matches) vs the bare locator.

Both sides read an attribute of the same element, many times, on one page in real
Chromium; the difference of the medians is what the resolver adds: building the ``or``
locator of the strategies, and one ``count()`` of the primary that runs concurrently with
the action and is collected when the step ends (the resolution log entry).

    .venv/bin/python bench/resolver_overhead.py
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from playwright.async_api import async_playwright

from portwright.browser import launch
from portwright.selector_map.loader import load_portal_maps
from portwright.selector_map.resolver import Resolution, Resolver

ROUNDS = 400
PAGE = """<html><body><form>
<label>Patient search <input id="q" name="q" data-role="search"></label>
<button id="go">Search</button></form></body></html>"""
MAP = """portal: bench
version: "1.0"
selectors:
  search.box:
    - {label: "Patient search"}
    - {placeholder: "Search"}
    - {css: "#q"}
"""


async def main() -> None:
    folder = Path(tempfile.mkdtemp()) / "bench"
    folder.mkdir()
    (folder / "1.0.yaml").write_text(MAP)
    smap = load_portal_maps(folder)["1.0"]
    async with async_playwright() as pw:
        browser = await launch(pw)
        context = await browser.new_context()
        page = await context.new_page()
        await page.set_content(PAGE)
        log: list[Resolution] = []
        resolver = Resolver(page, smap, log, 5000)
        bare_locator = page.get_by_label("Patient search")

        async def bare() -> None:
            await bare_locator.get_attribute("data-role")

        async def resolved() -> None:
            loc = await resolver.one("search.box")
            await loc.get_attribute("data-role")
            await resolver.settle(succeeded=True)  # as the runner does when a step ends

        async def resolve_only() -> None:
            await resolver.one("search.box")
            await resolver.settle(succeeded=True)

        for fn in (bare, resolved, resolve_only):  # warm up
            for _ in range(30):
                await fn()
        samples: dict[str, list[float]] = {"bare": [], "resolved": [], "resolve": []}
        for _ in range(ROUNDS):
            for name, fn in (("bare", bare), ("resolved", resolved), ("resolve", resolve_only)):
                t = time.perf_counter()
                await fn()
                samples[name].append((time.perf_counter() - t) * 1e6)
        await browser.close()
    med = {k: statistics.median(v) for k, v in samples.items()}
    assert all(r.index == 0 for r in log), "the primary strategy should match"
    print(f"bare locator + get_attribute:      {med['bare']:8.0f} µs (median of {ROUNDS})")
    print(f"resolved name + get_attribute:     {med['resolved']:8.0f} µs")
    print(f"resolver overhead (difference):    {med['resolved'] - med['bare']:8.0f} µs")
    print(f"resolve + settle, no action:       {med['resolve']:8.0f} µs")


if __name__ == "__main__":
    asyncio.run(main())
