"""Instrument names → scoring rules. Portals spell names loosely (``PHQ9``, ``phq-9``),
so lookups ignore case, spaces and punctuation; results always carry the canonical name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from portwright.exceptions import UnknownInstrumentError
from portwright.instruments.audit_c import AUDITC
from portwright.instruments.base import Instrument
from portwright.instruments.cssrs import CSSRS
from portwright.instruments.gad7 import GAD7
from portwright.instruments.pcl5 import PCL5
from portwright.instruments.phq8 import PHQ8
from portwright.instruments.phq9 import PHQ9
from portwright.instruments.phq_a import PHQA
from portwright.instruments.two_item_screens import GAD2, PHQ2

__all__ = [
    "INSTRUMENTS",
    "UnknownInstrumentError",
    "canonical_name",
    "find_instrument",
    "get_instrument",
    "instrument_key",
]

_ALL: tuple[Instrument, ...] = (PHQ9, PHQA, PHQ8, PHQ2, GAD7, GAD2, PCL5, AUDITC, CSSRS)

#: Every instrument by canonical name.
INSTRUMENTS: Mapping[str, Instrument] = MappingProxyType({i.name: i for i in _ALL})


def instrument_key(name: str) -> str:
    """``phq-9`` → ``PHQ9``: the spelling-insensitive lookup key."""
    return re.sub(r"[^A-Z0-9]", "", name.upper())


def _index() -> dict[str, Instrument]:
    index: dict[str, Instrument] = {}
    for instrument in _ALL:
        for spelling in (instrument.name, *instrument.aliases):
            key = instrument_key(spelling)
            if key in index and index[key] is not instrument:
                raise RuntimeError(f"instrument spelling {spelling!r} is ambiguous")
            index[key] = instrument
    return index


_BY_KEY = _index()


def find_instrument(name: str) -> Instrument | None:
    """The instrument for ``name`` in any common spelling, or ``None``."""
    return _BY_KEY.get(instrument_key(name))


def get_instrument(name: str) -> Instrument:
    """Like :func:`find_instrument`, but raises :class:`UnknownInstrumentError`."""
    instrument = find_instrument(name)
    if instrument is None:
        raise UnknownInstrumentError(name, tuple(INSTRUMENTS))
    return instrument


def canonical_name(name: str) -> str:
    """The canonical spelling (``phq9`` → ``PHQ-9``); unknown names come back stripped."""
    instrument = find_instrument(name)
    return instrument.name if instrument is not None else name.strip()
