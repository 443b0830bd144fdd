"""Valant's own step kinds, contributed to the engine through ``ValantAdapter.step_kinds``.

The engine stays portal-agnostic: it discovers these through the adapter's entry point.
"""

from __future__ import annotations

from portwright.flow.steps.base import StepKind
from portwright_valant.steps.form_errors import FormErrorsStep, handle_form_errors
from portwright_valant.steps.json_pages import JsonPagesStep, handle_json_pages

__all__ = ["STEP_KINDS", "FormErrorsStep", "JsonPagesStep"]

STEP_KINDS: tuple[StepKind, ...] = (
    StepKind(FormErrorsStep, handle_form_errors),
    StepKind(JsonPagesStep, handle_json_pages),
)
