"""Interchange envelopes (ISA/GS … GE/IEA) and the control numbers that identify them.

Clearinghouses reject a file whose ISA13 they have already seen, so control numbers come
from a ``ControlNumbers`` source: an in-memory counter for tests and one-off files, or
``FileControlNumbers`` persisted under the workspace state directory and guarded by a
file lock so two processes never hand out the same number.

ISA13 and GS06 have nine digits at most: counters hand out 1 … 999999999 and then start
again at 1 (by then the clearinghouse has long forgotten the first numbers). A counter
file holding anything else (not JSON, a negative or ten-digit number) is refused with its
path, never "repaired" by starting over, since a reused ISA13 gets the file rejected.

The ISA is fixed-width: its sender and receiver ids (ISA06/ISA08) are padded to 15
characters and the GS ids (GS02/GS03) hold 2 to 15. A longer id is an error before any
number is taken, never cut to fit: a cut id addresses another trading partner.

Those rules run in one place, ``check_envelope``, once per build: it turns the settings
into a ``CheckedEnvelope``, which is what ``wrap_interchange`` writes, and a build handed
one (a claims file's settings, checked when the file was read) does not check again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Literal, Protocol

from filelock import FileLock

from portwright.exceptions import FieldProblem, X12Error
from portwright.x12.delimiters import Delimiters
from portwright.x12.segments import Segment

__all__ = [
    "CheckedEnvelope",
    "ControlNumbers",
    "CounterControlNumbers",
    "EnvelopeConfig",
    "FileControlNumbers",
    "check_envelope",
    "wrap_interchange",
]

_MAX_CONTROL = 999_999_999
_MAX_ID = 15


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

    def _damaged(self, reason: str) -> X12Error:
        return X12Error(
            f"{self.path}: the control-number file is damaged ({reason}); no number was "
            "taken and nothing was written",
            hint='put back {"interchange": N, "group": M} with N and M (1 to 999999999) '
                 "above the last ISA13 and GS06 you sent; do not delete it: starting again "
                 "at 1 reuses numbers the clearinghouse has seen")

    def _read(self) -> dict[str, int]:
        """The counters in the file, checked: a damaged file is an error naming it."""
        if not self.path.exists():
            return {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise self._damaged(f"not JSON: {exc.msg}, line {exc.lineno}") from None
        except (UnicodeDecodeError, OSError) as exc:
            raise self._damaged(f"unreadable: {exc}") from None
        if not isinstance(raw, dict):
            raise self._damaged("not a JSON object")
        data: dict[str, int] = {}
        for key, value in raw.items():
            if type(value) is not int or not 1 <= value <= _MAX_CONTROL:
                raise self._damaged(f"{key!r} is {value!r}, not a whole number from 1 to "
                                    f"{_MAX_CONTROL} (ISA13 and GS06 have 9 digits)")
            data[str(key)] = value
        return data

    def _next(self, key: str) -> int:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(self.path) + ".lock"):
            data = self._read()
            value = data.get(key, 1)
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


def _id_problems(name: str, element: str, value: str, shortest: int,
                 delimiters: Delimiters) -> list[FieldProblem]:
    if not shortest <= len(value) <= _MAX_ID:
        return [FieldProblem(name, f"{value!r} is {len(value)} characters; {element} holds "
                                   f"{shortest} to {_MAX_ID}")]
    if not value.isascii() or not value.isprintable() or any(
            c in value for c in (delimiters.element, delimiters.component,
                                 delimiters.repetition, delimiters.segment)):
        return [FieldProblem(name, f"{value!r} in {element} must be printable ASCII without "
                                   "an X12 separator")]
    return []


class _UnwritableEnvelope(X12Error):
    """Envelope settings that cannot be written as they are; ``problems`` says which.
    (An ``X12Error`` to callers; ``check_envelope`` returns the problems instead.)"""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        super().__init__("envelope settings cannot be written: "
                         + "; ".join(str(p) for p in problems) + "; nothing was written")


@dataclass(frozen=True)
class CheckedEnvelope(EnvelopeConfig):
    """Envelope settings found writable as they are.

    Made through ``check_envelope``; made directly, it checks itself all the same
    (an ``X12Error`` naming each value), so no ``CheckedEnvelope`` exists that was not checked, and
    ``wrap_interchange``, which takes only this type, never writes an id that would shift
    the fixed-width ISA. It has the fields of ``EnvelopeConfig`` and no others, so it is
    recorded (e.g. in the submission ledger's settings digest) exactly as the settings it
    was made from."""

    def __post_init__(self) -> None:
        problems = _envelope_problems(self)
        if problems:
            raise _UnwritableEnvelope(problems)


def _envelope_problems(config: EnvelopeConfig) -> list[FieldProblem]:
    """Every ISA/GS value that cannot be written as it is."""
    d = config.delimiters
    problems: list[FieldProblem] = []
    for name, element, value in (("senderQualifier", "ISA05", config.sender_qualifier),
                                 ("receiverQualifier", "ISA07", config.receiver_qualifier)):
        if len(value) != 2 or not value.isascii() or not value.isalnum():
            problems.append(FieldProblem(name, f"{value!r}: {element} is a 2-character "
                                               "qualifier such as ZZ"))
    # The sender and receiver ids go into the ISA and, unless set apart, the GS too.
    problems += _id_problems("senderId", "ISA06" if config.application_sender else
                             "ISA06 (and GS02)", config.sender_id,
                             1 if config.application_sender else 2, d)
    problems += _id_problems("receiverId", "ISA08" if config.application_receiver else
                             "ISA08 (and GS03)", config.receiver_id,
                             1 if config.application_receiver else 2, d)
    if config.application_sender is not None:
        problems += _id_problems("applicationSender", "GS02", config.application_sender, 2, d)
    if config.application_receiver is not None:
        problems += _id_problems("applicationReceiver", "GS03", config.application_receiver,
                                 2, d)
    return problems


def check_envelope(config: EnvelopeConfig) -> CheckedEnvelope | list[FieldProblem]:
    """``config`` as a ``CheckedEnvelope`` when every ISA/GS value can be written as it
    is, else every value that cannot (field names as in the ``envelope`` settings,
    camelCase; the caller names where they came from). A ``CheckedEnvelope`` is returned
    as it is: it was checked when it was made."""
    if isinstance(config, CheckedEnvelope):
        return config
    try:  # the check runs once, as the checked settings are made
        return CheckedEnvelope(**{f.name: getattr(config, f.name) for f in fields(config)})
    except _UnwritableEnvelope as exc:
        return exc.problems


def _control(value: int, element: str) -> int:
    """A number from a ``ControlNumbers`` source, refused when it does not fit 9 digits."""
    if not 1 <= value <= _MAX_CONTROL:
        raise X12Error(f"control number {value} does not fit {element} (1 to "
                       f"{_MAX_CONTROL}); nothing was written")
    return value


def wrap_interchange(config: CheckedEnvelope, functional_id: str, version: str,
                     transactions: list[list[Segment]], numbers: ControlNumbers,
                     now: datetime) -> list[Segment]:
    """ISA, one GS, the given transaction sets (each already ST … SE), GE, IEA.

    Only checked settings are written (``check_envelope``, before a control number is
    taken): an id longer than its element would shift every later ISA field."""
    isa13 = f"{_control(numbers.next_interchange(), 'ISA13'):09d}"
    group = str(_control(numbers.next_group(), "GS06"))
    isa = Segment("ISA", [
        "00", " " * 10, "00", " " * 10,
        config.sender_qualifier, config.sender_id.ljust(_MAX_ID),
        config.receiver_qualifier, config.receiver_id.ljust(_MAX_ID),
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
