"""How long the ``portwright`` CLI takes to start, before any command does work.

Every invocation pays this, ``portwright --help`` included, so command modules import
what a command needs inside the command (see ``portwright.cli.app``). Each figure is the
median wall time of N fresh subprocesses: ``portwright --help`` through the installed
console script, and ``python -c "import portwright.cli"``.

    .venv/bin/python bench/cli_startup.py [-n 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def median_seconds(argv: list[str], rounds: int) -> float:
    """The median wall time of ``rounds`` runs of ``argv``, each must exit 0."""
    times: list[float] = []
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--rounds", type=int, default=5)
    args = parser.parse_args()
    cases = {
        "portwright --help": [str(BIN / "portwright"), "--help"],
        'python -c "import portwright.cli"': [sys.executable, "-c", "import portwright.cli"],
    }
    for label, argv in cases.items():
        print(f"{label}: median {median_seconds(argv, args.rounds):.3f} s over {args.rounds}")


if __name__ == "__main__":
    main()
