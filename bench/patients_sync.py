"""Full sync of 10,000 sandbox patients: capturing the portal's JSON vs paging the DOM.

Targets (issue 6): the JSON path takes at most 15 s and is at least 5x faster than DOM
paging. Both run against the same 2026.1 sandbox (the version whose client list renders
from ``/api/v2/patients``), through the same engine, signed in once beforehand:

* **JSON capture**: the shipped ``valant.patients.list`` flow; it captures the list page's
  own first response and follows the portal's cursor in the session (100 per request),
  normalizing every item into a Patient;
* **DOM paging**: the same list read from the table, clicking "Load more" until the end
  (25 rows per click), row cells only. This is a *lower bound* of the DOM path: the real
  DOM path also reads each chart for fields the table does not show (sex, e-mail,
  portal enrollment), three tabs fetched and read from their HTML: about 60-150 ms per
  patient (``--ui-version 2025.4`` times it).

Both figures are printed, with the ratio. Reading a growing table is slow (every "Load more"
adds rows the page must lay out), so the DOM run gets a time budget (``--dom-budget``,
default 600 s): if it has not finished by then, the figure printed is a lower bound.

With ``--ui-version`` the comparison is replaced by one figure: the shipped
``valant.patients.list`` flow, as a user runs it, against a sandbox of that UI version
(2025.4 has no JSON: its list is paged in the DOM and each patient's chart read, three
tabs fetched and read from their HTML), with the time per patient; every patient must be
returned. ``--path dom`` times the DOM path on 2026.1 as well.
Usage: ``.venv/bin/python bench/patients_sync.py [--patients N] [--dom-budget S]
[--ui-version 2025.4|2026.1 [--path auto|dom]]``.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from portwright.engine import Engine
from portwright.flow.loader import load_flow_text
from portwright.settings import load_settings
from portwright_valant.sandbox.config import UI_VERSIONS, SandboxConfig
from portwright_valant.sandbox.server import SandboxServer
from portwright_valant.testing import dev_secrets

ROOT = Path(__file__).resolve().parents[1]

#: the DOM path's list reading, without the chart visits (see the module docstring)
DOM_ROWS_FLOW = """
flow: valant.bench.patients_dom_rows
steps:
  - {action: call, flow: valant.login}
  - {action: goto, url: "{{ portal.base_url }}/patients"}
  - {action: wait_for, target: patients.list_ready}
  - action: extract
    into: rows
    rows: patients.row
    fields:
      patient_id: {attr: data-id}
      name: patients.row.name
      mrn: patients.row.mrn
      dob: patients.row.dob
      status: patients.row.status
      primary_provider_id: {target: patients.row.provider, attr: data-provider-id}
      updated_at: patients.row.updated
    paginate:
      load_more: patients.load_more
      max_pages: 100000
      stop_when: >-
        page_rows | length < 25 or
        (rows | map(attribute='patient_id') | unique | list | length) < (rows | length)
outputs:
  rows: {value: "rows | unique(attribute='patient_id') | list"}
"""


@asynccontextmanager
async def signed_in_engine(ui_version: str, patients: int) -> AsyncIterator[Engine]:
    """A sandbox of ``ui_version`` seeded with ``patients``, and an engine signed in to it
    (so the timed runs pay no login)."""
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp:
        print(f"seeding a {ui_version} sandbox with {patients} patients…", flush=True)
        config = SandboxConfig(ui_version=ui_version, patients=patients,
                               db_path=Path(tmp) / "valant.sqlite3")
        with SandboxServer(config) as server:
            settings = load_settings(ROOT, artifacts=Path(tmp) / "artifacts",
                                     state=Path(tmp) / "state", step_timeout_ms=60_000)
            engine = Engine(settings, trace="off", portal_urls={"valant": server.url},
                            secrets=dev_secrets())
            try:
                await engine.run("valant.login")
                yield engine
            finally:
                await engine.close()


async def shipped_list(ui_version: str, patients: int, path: str) -> None:
    """Time the shipped ``valant.patients.list`` on one UI version (signed in before)."""
    async with signed_in_engine(ui_version, patients) as engine:
        started = time.perf_counter()
        result = await engine.run("valant.patients.list", {"path": path})
        took = time.perf_counter() - started
    returned = len(result.outputs["Patient"])
    if returned != patients:
        raise SystemExit(f"incomplete list: {returned} patients, expected {patients}")
    print(f"valant.patients.list on {ui_version} (path {path}): {returned} patients in "
          f"{took:.2f} s ({1000 * took / returned:.0f} ms per patient)")


async def main(patients: int, dom_budget_s: float) -> None:
    async with signed_in_engine("2026.1", patients) as engine:
        started = time.perf_counter()
        captured = await engine.run("valant.patients.list")
        json_s = time.perf_counter() - started
        n_json = len(captured.outputs["Patient"])
        print(f"JSON capture: {n_json} patients (normalized) in {json_s:.2f} s",
              flush=True)
        started = time.perf_counter()
        try:
            paged = await asyncio.wait_for(
                engine.run(load_flow_text(DOM_ROWS_FLOW)), timeout=dom_budget_s)
            n_dom: int | None = len(paged.outputs["rows"])
        except TimeoutError:
            n_dom = None
        dom_s = time.perf_counter() - started
        if n_dom is None:
            print(f"DOM paging:   not finished after {dom_s:.2f} s (lower bound)")
        else:
            print(f"DOM paging:   {n_dom} rows (cells only) in {dom_s:.2f} s")
    if n_json != patients or n_dom not in (None, patients):
        raise SystemExit(f"incomplete sync: JSON {n_json}, DOM {n_dom}, expected {patients}")
    ratio = dom_s / json_s
    bound = ">=" if n_dom is None else ""
    verdict_time = "ok" if json_s <= 15 else "MISSED (target <= 15 s)"
    verdict_ratio = "ok" if ratio >= 5 else "MISSED (target >= 5x)"
    print(f"json_capture_s={json_s:.2f} ({verdict_time})  dom_paging_s={bound}{dom_s:.2f}  "
          f"speedup={bound}{ratio:.1f}x ({verdict_ratio})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--dom-budget", type=float, default=600.0)
    parser.add_argument("--ui-version", choices=UI_VERSIONS, default=None,
                        help="time the shipped list flow on this UI version instead")
    parser.add_argument("--path", choices=["auto", "dom"], default="auto",
                        help="the list flow's path input (with --ui-version)")
    args = parser.parse_args()
    if args.ui_version is not None:
        asyncio.run(shipped_list(args.ui_version, args.patients, args.path))
    else:
        asyncio.run(main(args.patients, args.dom_budget))
