"""The Valant adapter's declaration: its name, normalizers and extra step kinds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from portwright.adapter import Adapter, Normalizer
from portwright.flow.steps.base import StepKind
from portwright_valant.normalizers import NORMALIZERS
from portwright_valant.steps import STEP_KINDS


class ValantAdapter(Adapter):
    """Valant: scheduling, notes, outcome measures, insurance, 837P claims and 835 ERAs."""

    name: ClassVar[str] = "valant"
    display_name: ClassVar[str] = "Valant"
    normalizers: ClassVar[Mapping[str, Normalizer]] = NORMALIZERS
    step_kinds: ClassVar[tuple[StepKind, ...]] = STEP_KINDS
