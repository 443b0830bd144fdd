"""What ``load_settings`` costs a fresh process: importing it, then calling it once.

Every command and script that reads the workspace's settings pays this before doing
anything, so ``portwright.settings`` must not pull in heavy modules through the packages
it imports (``portwright.recording``'s names load lazily for this reason). Each figure is
the median over N fresh interpreters, timed inside them (interpreter start-up excluded),
run from the current folder's workspace.

    .venv/bin/python bench/settings_import.py [-n 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

PROBE = """
import json, time
start = time.perf_counter()
from portwright import load_settings
imported = time.perf_counter()
load_settings()
called = time.perf_counter()
print(json.dumps({"import": imported - start, "call": called - imported}))
"""


def one_round() -> dict[str, float]:
    """The two figures of one fresh interpreter."""
    out = subprocess.run([sys.executable, "-c", PROBE], check=True, capture_output=True,
                         text=True)
    figures: dict[str, float] = json.loads(out.stdout)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--rounds", type=int, default=5)
    args = parser.parse_args()
    rounds = [one_round() for _ in range(args.rounds)]
    for key, label in (("import", "from portwright import load_settings"),
                       ("call", "first load_settings() call")):
        median = statistics.median(r[key] for r in rounds)
        print(f"{label}: median {median * 1000:.1f} ms over {args.rounds}")


if __name__ == "__main__":
    main()
