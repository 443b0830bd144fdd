"""Benchmark: one Engine kept alive for hundreds of runs on one account, as a backend
service keeps it for days. Every ``--every`` runs it prints the throughput, the Python
process's RSS and Chromium's memory: the RSS of every Chromium process under this one,
and the renderer of the session's page (its JS heap, DOM nodes and documents, from CDP
``Performance.getMetrics``), so growth per run shows and can be told apart (JS heap vs
documents kept alive).

Flows: valant.patients.get (a different patient each time), valant.providers.list and
valant.appointments.list, in turn, against the Valant sandbox (UI 2025.4) in its own
process. ``--concurrency`` runs go at once on the one session (the engine serializes
them on the session's lock, as a service's request handlers would).

    .venv/bin/python bench/long_lived_engine.py [--runs 300] [--every 50]
        [--concurrency 8] [--recycle N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from pathlib import Path
from typing import Any

from support.sandbox_process import sandbox_process

from portwright.engine import Engine
from portwright.flow.loader import load_flow_text
from portwright.runner.session import Session
from portwright.settings import load_settings
from portwright_valant.testing import dev_secrets

ROOT = Path(__file__).resolve().parents[1]
PAGE = os.sysconf("SC_PAGE_SIZE")
MB = 1024 * 1024

#: the first page of the patient list's ids, without visiting each chart
PATIENT_IDS_FLOW = """
flow: valant.bench.patient_ids
steps:
  - {action: call, flow: valant.login}
  - {action: goto, url: "{{ portal.base_url }}/patients"}
  - {action: wait_for, target: patients.list_ready}
  - {action: extract, into: rows, rows: patients.row, fields: {patient_id: {attr: data-id}}}
outputs:
  ids: {value: "rows | map(attribute='patient_id') | unique | list"}
"""


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def descendants(root: int) -> list[int]:
    """Every process below ``root`` (from /proc: no extra dependency)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _read(f"/proc/{entry.name}/stat")
            if stat:
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [root]
    while frontier:
        parent = frontier.pop()
        kids = [pid for pid, ppid in parents.items() if ppid == parent]
        found += kids
        frontier += kids
    return found


def rss_mb(pid: int | None) -> float | None:
    if pid is None:
        return None
    fields = _read(f"/proc/{pid}/statm").split()
    return int(fields[1]) * PAGE / MB if fields else None


def cmdline(pid: int) -> str:
    return _read(f"/proc/{pid}/cmdline").replace("\0", " ")


def chromium_rss_mb() -> float:
    """RSS of every Chromium process below this one (browser, GPU, renderers...)."""
    return sum(rss_mb(pid) or 0.0 for pid in descendants(os.getpid())
               if "chrom" in _read(f"/proc/{pid}/comm").lower())


def renderers() -> set[int]:
    return {pid for pid in descendants(os.getpid()) if "--type=renderer" in cmdline(pid)}


async def page_metrics(session: Session) -> dict[str, float]:
    """The page's renderer metrics (JS heap, nodes, documents) over a CDP session that is
    detached again at once, so measuring leaves nothing behind."""
    cdp = await session.context.new_cdp_session(session.page)
    try:
        await cdp.send("Performance.enable")
        got = await cdp.send("Performance.getMetrics")
        await cdp.send("Performance.disable")
    finally:
        await cdp.detach()
    return {m["name"]: m["value"] for m in got["metrics"]}


def session_renderer(before: set[int]) -> int | None:
    """The renderer of the session's page: of the renderers that appeared since
    ``before`` (the page's, maybe a spare or a retired one), the largest. Asked again at
    each report: a recycled page may live in a new renderer process."""
    new = renderers() - before
    return max(new, key=lambda pid: rss_mb(pid) or 0.0) if new else None


def flow_for(i: int, patients: list[str]) -> tuple[str, dict[str, Any]]:
    kind = i % 3
    if kind == 0:
        return "valant.patients.get", {"patient_id": patients[(i // 3) % len(patients)]}
    if kind == 1:
        return "valant.providers.list", {}
    return "valant.appointments.list", {"start_date": "2026-03-02",
                                        "end_date": "2026-03-03"}


async def measure(url: str, runs: int, every: int, concurrency: int,
                  recycle: int | None) -> None:
    settings = load_settings(ROOT)
    if recycle is not None:
        settings = settings.model_copy(update={"page_recycle_runs": recycle})
    async with Engine(settings, secrets=dev_secrets(), trace="on-failure",
                      portal_urls={"valant": url}) as engine:
        before = renderers()
        got = await engine.run(load_flow_text(PATIENT_IDS_FLOW, "bench.yaml"))  # signs in
        patients = list(got.outputs["ids"]) or ["pt_0001"]
        pid = session_renderer(before)
        print(f"patients: {len(patients)}; concurrency {concurrency}; "
              f"renderer pid {pid or '?'}")
        print(f"{'runs':>5} {'runs/s':>7} {'py MB':>7} {'chromium MB':>12} "
              f"{'renderer MB':>12} {'JS heap MB':>11} {'nodes':>7} {'docs':>5}")
        done = 0
        window_start = time.perf_counter()

        async def worker(chunk: Any) -> None:
            nonlocal done
            for i in chunk:
                name, inputs = flow_for(i, patients)
                await engine.run(name, inputs)
                done += 1

        while done < runs:
            chunk = iter(range(done, min(done + every, runs)))
            await asyncio.gather(*(worker(chunk) for _ in range(concurrency)))
            elapsed = time.perf_counter() - window_start
            session = await engine.session("valant")
            metrics = await page_metrics(session)
            rss = rss_mb(session_renderer(before))   # a recycled page has a new one
            print(f"{done:>5} {every / elapsed:>7.2f} {rss_mb(os.getpid()) or 0:>7.0f} "
                  f"{chromium_rss_mb():>12.0f} "
                  f"{(f'{rss:.0f}' if rss is not None else '?'):>12} "
                  f"{metrics.get('JSHeapUsedSize', 0) / MB:>11.1f} "
                  f"{metrics.get('Nodes', 0):>7.0f} {metrics.get('Documents', 0):>5.0f}",
                  flush=True)
            window_start = time.perf_counter()


async def main(runs: int, every: int, concurrency: int, recycle: int | None) -> None:
    with sandbox_process() as url:
        await measure(url, runs, every, concurrency, recycle)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--every", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--recycle", type=int, default=None,
                        help="page_recycle_runs for this engine (default: the setting's)")
    args = parser.parse_args()
    asyncio.run(main(args.runs, args.every, args.concurrency, args.recycle))
