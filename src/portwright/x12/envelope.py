"""Interchange envelopes (ISA/GS … GE/IEA) and the control numbers that identify them.

Clearinghouses reject a file whose ISA13 they have already seen, so control numbers come
from a ``ControlNumbers`` source: an in-memory counter for tests and one-off files, or
``FileControlNumbers`` persisted under the workspace state directory and guarded by a
file lock so two processes never hand out the same number.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal, Protocol

from filelock import FileLock

from portwright.x12.delimiters import Delimiters
from portwright.x12.segments import Segment

__all__ = [
    "ControlNumbers",
    "CounterControlNumbers",
    "EnvelopeConfig",
    "FileControlNumbers",
    "wrap_interchange",
]

_MAX_CONTROL = 999_999_999


class ControlNumbers(Protocol):
    """Hands out ISA13 interchange and GS06 group control numbers."""

    def next_interchange(self) -> int: ...

    def next_group(self) -> int: ...


@dataclass
class CounterControlNumbers:
    """In-memory counters (start values are the first numbers handed out)."""

    interchange: int = 1
    group: int = 1

    def next_interchange(self) -> int:
        value = self.interchange
        self.interchange = value % _MAX_CONTROL + 1
        return value

    def next_group(self) -> int:
        value = self.group
        self.group = value % _MAX_CONTROL + 1
        return value


@dataclass
class FileControlNumbers:
    """Counters persisted in a small JSON file (e.g. ``<state>/x12-control-numbers.json``)."""

    path: Path

    def _next(self, key: str) -> int:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(self.path) + ".lock"):
            data: dict[str, int] = {}
            if self.path.exists():
                data = json.loads(self.path.read_text(encoding="utf-8"))
            value = int(data.get(key, 1))
            data[key] = value % _MAX_CONTROL + 1
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data), encoding="utf-8")
            tmp.replace(self.path)
            return value

    def next_interchange(self) -> int:
        return self._next("interchange")

    def next_group(self) -> int:
        return self._next("group")


@dataclass(frozen=True)
class EnvelopeConfig:
    """Who sends and receives the interchange, and how it is written.

    ``line_break`` goes after every segment terminator (``""`` for one long line, as
    many clearinghouses want; ``"\\n"`` for reading).
    """

    sender_id: str
    receiver_id: str
    sender_qualifier: str = "ZZ"
    receiver_qualifier: str = "ZZ"
    application_sender: str | None = None
    application_receiver: str | None = None
    usage: Literal["T", "P"] = "T"
    acknowledgment_requested: bool = False
    delimiters: Delimiters = field(default_factory=Delimiters)
    line_break: str = "\n"


def wrap_interchange(config: EnvelopeConfig, functional_id: str, version: str,
                     transactions: list[list[Segment]], numbers: ControlNumbers,
                     now: datetime) -> list[Segment]:
    """ISA, one GS, the given transaction sets (each already ST … SE), GE, IEA."""
    isa13 = f"{numbers.next_interchange():09d}"
    group = str(numbers.next_group())
    isa = Segment("ISA", [
        "00", " " * 10, "00", " " * 10,
        config.sender_qualifier, config.sender_id.ljust(15)[:15],
        config.receiver_qualifier, config.receiver_id.ljust(15)[:15],
        now.strftime("%y%m%d"), now.strftime("%H%M"),
        config.delimiters.repetition, "00501", isa13,
        "1" if config.acknowledgment_requested else "0", config.usage,
        config.delimiters.component,
    ])
    gs = Segment("GS", [
        functional_id, config.application_sender or config.sender_id,
        config.application_receiver or config.receiver_id,
        now.strftime("%Y%m%d"), now.strftime("%H%M"), group, "X", version,
    ])
    out = [isa, gs]
    for body in transactions:
        out.extend(body)
    out.append(Segment("GE", [str(len(transactions)), group]))
    out.append(Segment("IEA", ["1", isa13]))
    return out
