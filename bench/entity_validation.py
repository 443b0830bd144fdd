"""How many entities per second portwright validates and emits (``validate`` +
``to_json_dict``): the per-record cost inside every flow's emit step. The 10,000-patient
sync target (issue 6: at most 15 s) leaves room for this figure only if it stays well
above 1,000 patients/s.

    .venv/bin/python bench/entity_validation.py [--count 10000]
"""

from __future__ import annotations

import argparse
import time

from portwright.entities import ENTITY_MODELS, validate
from portwright.entities.examples import example


def _rate(name: str, count: int) -> float:
    model = ENTITY_MODELS[name]
    rows = []
    for n in range(count):
        row = example(name)
        row[next(iter(row))] = f"{row[next(iter(row))]}_{n}"  # distinct ids, same shape
        rows.append(row)
    started = time.perf_counter()
    for row in rows:
        validate(model, row).to_json_dict()
    return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    for name in ("Patient", "Appointment", "AssessmentResult"):
        rate = _rate(name, args.count)
        print(f"{name}: {rate:,.0f} validated+emitted per second "
              f"({args.count:,} in {args.count / rate:.2f} s)")


if __name__ == "__main__":
    main()
