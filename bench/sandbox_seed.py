"""How long the Valant sandbox takes to create and seed a 100,000-patient database.

Run: ``.venv/bin/python bench/sandbox_seed.py [patients]``. The issue's bar is under
60 seconds for 100,000 patients; the script prints the measured figure and row counts.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from portwright_valant.sandbox.config import SandboxConfig
from portwright_valant.sandbox.database import prepare_database

TABLES = ("patients", "insurance_policies", "appointments", "assessment_results", "encounters",
          "claims", "remittances", "documents")


def main() -> None:
    patients = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory(prefix="valant-bench-") as folder:
        path = Path(folder) / "bench.sqlite3"
        started = time.perf_counter()
        prepare_database(SandboxConfig(patients=patients, db_path=path))
        elapsed = time.perf_counter() - started
        conn = sqlite3.connect(path)
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        conn.close()
        size_mb = path.stat().st_size / 1e6
    print(f"seeded {patients:,} patients in {elapsed:.2f} s (bar: < 60 s); db {size_mb:.1f} MB")
    for table, count in counts.items():
        print(f"  {table:20s} {count:>9,}")


if __name__ == "__main__":
    main()
