"""The Valant adapter's declaration: its name and its normalizers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from portwright.adapter import Adapter, Normalizer
from portwright_valant.normalizers import NORMALIZERS


class ValantAdapter(Adapter):
    """Valant: scheduling, notes, outcome measures, insurance, 837P claims and 835 ERAs."""

    name: ClassVar[str] = "valant"
    display_name: ClassVar[str] = "Valant"
    normalizers: ClassVar[Mapping[str, Normalizer]] = NORMALIZERS
