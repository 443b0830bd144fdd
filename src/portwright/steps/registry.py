"""Step model → handler, one line per built-in kind; plugins are merged in lazily.

A test asserts that every step model the catalog knows has a handler here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import cache
from typing import Any

from portwright.flow.catalog import plugin_step_kinds
from portwright.flow.steps import (
    AssertStep,
    CallStep,
    CaptureStep,
    CheckStep,
    ClickStep,
    DownloadStep,
    EmitStep,
    ExtractStep,
    FillStep,
    ForeachStep,
    FormErrorsStep,
    GotoStep,
    IfStep,
    MfaStep,
    PressStep,
    RequestStep,
    RequireStep,
    RetryStep,
    ScreenshotStep,
    SelectStep,
    SetStep,
    UploadStep,
    WaitForStep,
)
from portwright.flow.steps.base import StepBase
from portwright.steps import (
    assert_,
    call,
    capture,
    check,
    click,
    download,
    emit,
    extract,
    fill,
    foreach,
    form_errors,
    goto,
    if_,
    mfa,
    press,
    request,
    require,
    retry,
    screenshot,
    select,
    set,
    upload,
    wait_for,
)

__all__ = ["HANDLERS", "Handler", "all_handlers", "handler_for"]

Handler = Callable[[Any, Any], Awaitable[None]]

#: Built-in handlers, one line per step kind.
HANDLERS: dict[type[StepBase], Handler] = {
    GotoStep: goto.handle,
    ClickStep: click.handle,
    FillStep: fill.handle,
    SelectStep: select.handle,
    CheckStep: check.handle,
    PressStep: press.handle,
    UploadStep: upload.handle,
    WaitForStep: wait_for.handle,
    AssertStep: assert_.handle,
    ExtractStep: extract.handle,
    CaptureStep: capture.handle,
    RequestStep: request.handle,
    CallStep: call.handle,
    IfStep: if_.handle,
    ForeachStep: foreach.handle,
    RetryStep: retry.handle,
    SetStep: set.handle,
    EmitStep: emit.handle,
    ScreenshotStep: screenshot.handle,
    DownloadStep: download.handle,
    MfaStep: mfa.handle,
    RequireStep: require.handle,
    FormErrorsStep: form_errors.handle,
}


@cache
def all_handlers() -> dict[type[StepBase], Handler]:
    """Built-ins plus plugin step kinds."""
    merged = dict(HANDLERS)
    for kind in plugin_step_kinds():
        merged[kind.model] = kind.handler
    return merged


def handler_for(step: StepBase) -> Handler:
    handler = all_handlers().get(type(step))
    if handler is None:
        raise LookupError(f"no handler for step kind '{step.action}' ({type(step).__name__})")
    return handler
