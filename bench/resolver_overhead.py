"""Resolving a logical name with three strategies (primary matches) vs the bare locator.

Both sides read an attribute of the same element, many times, on one page in real
Chromium; the difference of the medians is what the resolver adds. Two cases:

* first resolution of the name in a session (a fresh resolver and session memory each
  round): the action goes through the ``or`` of the strategies, and one ``count()`` of the
  primary runs concurrently with it to log which strategy matched;
* a later run of the session on the same document (a fresh resolver, the session's
  memory): the classification is reused (within ``resolution_reuse_s``), no count, and
  the action uses the strategy that found the name on this document directly.

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
from portwright.selector_map.memory import ResolutionMemory
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
        bare_locator = page.get_by_label("Patient search")
        session_memory = ResolutionMemory(reuse_s=3600)
        session_memory.watch(page)

        async def bare() -> None:
            await bare_locator.get_attribute("data-role")

        async def run_once(memory: ResolutionMemory) -> None:
            resolver = Resolver(page, smap, log, 5000, memory=memory)
            loc = await resolver.one("search.box", navigates=False)  # a read, as extract's
            await loc.get_attribute("data-role")
            await resolver.settle(succeeded=True)  # as the runner does when a step ends
            finishing.append(resolver)

        async def first() -> None:
            await run_once(ResolutionMemory(reuse_s=3600))

        async def later() -> None:
            await run_once(session_memory)

        finishing: list[Resolver] = []
        cases = (("bare", bare), ("first", first), ("later", later))
        for _, fn in cases:  # warm up
            for _ in range(30):
                await fn()
        samples: dict[str, list[float]] = {name: [] for name, _ in cases}
        for _ in range(ROUNDS):
            for name, fn in cases:
                t = time.perf_counter()
                await fn()
                samples[name].append((time.perf_counter() - t) * 1e6)
                while finishing:  # the run ends: its log completes, outside the timing
                    await finishing.pop().finish()
        await browser.close()
    med = {k: statistics.median(v) for k, v in samples.items()}
    assert all(r.index == 0 for r in log), "the primary strategy should match"
    assert not log[0].reused and log[-1].reused
    print(f"bare locator + get_attribute:           {med['bare']:8.0f} µs (median of {ROUNDS})")
    print(f"first resolution in a session + read:   {med['first']:8.0f} µs  "
          f"overhead {med['first'] - med['bare']:5.0f} µs")
    print(f"later run of the session + read:        {med['later']:8.0f} µs  "
          f"overhead {med['later'] - med['bare']:5.0f} µs")


if __name__ == "__main__":
    asyncio.run(main())
