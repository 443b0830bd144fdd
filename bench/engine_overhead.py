"""A ~10-step flow run by the engine vs the same steps hand-written in async Playwright.

Both use one browser and one signed-in context, reused across rounds, against the Valant
sandbox (UI 2025.4) running in its own process, as a real portal would: an in-process
sandbox thread would compete with the engine for the GIL and charge the engine for it.
Rounds alternate between the two so load on the machine affects both
alike; the figure is the ratio of the medians (target: at most 1.05).

    .venv/bin/python bench/engine_overhead.py [--rounds 15]
        [--trace on-failure|retain-on-failure|off]
        [--snapshots]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

from playwright.async_api import Page
from support.sandbox_process import sandbox_process

from portwright.engine import Engine
from portwright.flow.loader import load_flow_text
from portwright.settings import load_settings
from portwright_valant.testing import dev_secrets

ROOT = Path(__file__).resolve().parents[1]

FLOW = """flow: valant.bench.ten_steps
steps:
  - {action: goto, url: "{{ portal.base_url }}/tasks"}
  - {action: fill, target: tasks.form.title, value: "Bench task"}
  - {action: fill, target: tasks.form.patient, value: ""}
  - {action: select, target: tasks.form.assignee, value: ""}
  - {action: fill, target: tasks.form.due, value: "2031-02-03"}
  - {action: select, target: tasks.form.priority, value: high}
  - {action: extract, into: open, rows: tasks.row, fields: {id: {attr: data-id},
     title: tasks.row.title}}
  - {action: goto, url: "{{ portal.base_url }}/tasks?status=all"}
  - {action: extract, into: all, rows: tasks.row, fields: {id: {attr: data-id},
     title: tasks.row.title}}
  - {action: assert, check: visible, target: tasks.form.save}
"""

READ_ROWS = """rows => rows.map(r => ({id: r.getAttribute('data-id'),
  title: r.querySelector('td.col-title').innerText}))"""


async def by_hand(page: Page, base: str) -> None:
    """The same ten steps, written directly against Playwright."""
    await page.goto(f"{base}/tasks")
    await page.get_by_label("Task", exact=True).fill("Bench task")
    await page.get_by_label("Patient MRN").fill("")
    await page.get_by_label("Assign To").select_option(value="")
    await page.get_by_label("Due Date").fill("2031-02-03")
    await page.get_by_label("Priority", exact=True).select_option(value="high")
    rows = page.locator("#task-grid tbody tr.task-row")
    await rows.evaluate_all(READ_ROWS)
    await page.goto(f"{base}/tasks?status=all")
    await rows.evaluate_all(READ_ROWS)
    await page.get_by_role("button", name="Save Task").wait_for(state="visible")


async def main(rounds: int, trace: str, snapshots: bool) -> None:
    with sandbox_process() as url:
        await measure(url, rounds, trace, snapshots)


async def measure(url: str, rounds: int, trace: str, snapshots: bool) -> None:
    secrets = dev_secrets()
    async with Engine(load_settings(ROOT), secrets=secrets,
                      trace=trace,  # type: ignore[arg-type]
                      trace_snapshots=snapshots,
                      portal_urls={"valant": url}) as engine:
        await engine.run("valant.login_password")
        flow = load_flow_text(FLOW, "bench.yaml")
        page = (await engine.session("valant")).page
        for _ in range(3):  # warm up both paths
            await engine.run(flow)
            await by_hand(page, url)
        hand: list[float] = []
        eng: list[float] = []
        for _ in range(rounds):
            t = time.perf_counter()
            await by_hand(page, url)
            hand.append(time.perf_counter() - t)
            t = time.perf_counter()
            result = await engine.run(flow)
            eng.append(time.perf_counter() - t)
        assert len(result.steps) == 10
    h, e = statistics.median(hand), statistics.median(eng)
    print(f"hand-written Playwright: {h * 1000:7.1f} ms (median of {rounds})")
    print(f"portwright engine:       {e * 1000:7.1f} ms (trace={trace}, "
          f"snapshots={'on' if snapshots else 'off'})")
    print(f"ratio engine/hand:       {e / h:7.3f}  (target <= 1.05)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--trace", default="on-failure",
                        choices=["off", "on-failure", "retain-on-failure"])
    parser.add_argument("--snapshots", action="store_true",
                        help="also record DOM snapshots in the trace (the engine's default "
                             "is actions, network and console only)")
    args = parser.parse_args()
    asyncio.run(main(args.rounds, args.trace, args.snapshots))
