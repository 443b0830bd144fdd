"""Valant's own step kinds, contributed to the engine through ``ValantAdapter.step_kinds``.

The engine stays portal-agnostic: it discovers these through the adapter's entry point.
Only what is Valant's alone lives here; reading a form's validation messages is the
engine's ``form_errors``, which every adapter's flows may use.
"""

from __future__ import annotations

from portwright.flow.steps.base import StepKind
from portwright_valant.steps.json_pages import JsonPagesStep, handle_json_pages

__all__ = ["STEP_KINDS", "JsonPagesStep"]

STEP_KINDS: tuple[StepKind, ...] = (
    StepKind(JsonPagesStep, handle_json_pages),
)
