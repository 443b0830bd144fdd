"""Step models, one module per step kind.

Adding a built-in step kind means: a model module here plus one line in
``BUILTIN_STEP_MODELS``, and a handler module in :mod:`portwright.steps` plus one line
in its registry. Adapters add kinds without editing either (see ``StepKind``).
"""

from __future__ import annotations

from portwright.flow.steps.assert_ import AssertStep
from portwright.flow.steps.base import SourcePosition, StepBase, StepKind, TargetedStep
from portwright.flow.steps.call import CallStep
from portwright.flow.steps.capture import CaptureStep
from portwright.flow.steps.check import CheckStep
from portwright.flow.steps.click import ClickStep
from portwright.flow.steps.download import DownloadStep
from portwright.flow.steps.emit import EmitStep
from portwright.flow.steps.extract import ExtractStep, FieldSpec
from portwright.flow.steps.fill import FillStep
from portwright.flow.steps.foreach import ForeachStep
from portwright.flow.steps.form_errors import FormErrorsStep
from portwright.flow.steps.goto import GotoStep
from portwright.flow.steps.if_ import IfStep
from portwright.flow.steps.mfa import MfaStep
from portwright.flow.steps.pagination import Pagination
from portwright.flow.steps.press import PressStep
from portwright.flow.steps.request import RequestStep
from portwright.flow.steps.require import RequireStep
from portwright.flow.steps.retry import IdempotencyCheck, RetryStep
from portwright.flow.steps.screenshot import ScreenshotStep
from portwright.flow.steps.select import SelectStep
from portwright.flow.steps.set import SetStep
from portwright.flow.steps.upload import UploadStep
from portwright.flow.steps.wait_for import WaitForStep

__all__ = [
    "BUILTIN_STEP_MODELS",
    "AssertStep",
    "CallStep",
    "CaptureStep",
    "CheckStep",
    "ClickStep",
    "DownloadStep",
    "EmitStep",
    "ExtractStep",
    "FieldSpec",
    "FillStep",
    "ForeachStep",
    "FormErrorsStep",
    "GotoStep",
    "IdempotencyCheck",
    "IfStep",
    "MfaStep",
    "Pagination",
    "PressStep",
    "RequestStep",
    "RequireStep",
    "RetryStep",
    "ScreenshotStep",
    "SelectStep",
    "SetStep",
    "SourcePosition",
    "StepBase",
    "StepKind",
    "TargetedStep",
    "UploadStep",
    "WaitForStep",
]

#: Every built-in step kind, one line each.
BUILTIN_STEP_MODELS: tuple[type[StepBase], ...] = (
    GotoStep,
    ClickStep,
    FillStep,
    SelectStep,
    CheckStep,
    PressStep,
    UploadStep,
    WaitForStep,
    AssertStep,
    ExtractStep,
    CaptureStep,
    RequestStep,
    CallStep,
    IfStep,
    ForeachStep,
    RetryStep,
    SetStep,
    EmitStep,
    ScreenshotStep,
    DownloadStep,
    MfaStep,
    RequireStep,
    FormErrorsStep,
)
