"""``form_errors``: turn the validation messages a portal printed into PortalValidationError.

After a form post the portal either moves on (to the saved record) or re-renders the form
with its messages: one per bad field, sometimes a form-level one ("this slot is already
booked") in a banner. Waiting for the success page would only time out with a useless
"element not found"; this step reads the portal's own messages and raises an error that
carries them, so a caller sees *"reference_id: Reference id already used by ..."* and
knows nothing was written.

It is an engine kind, not an adapter's, because every portal with a form needs it and it
only needs logical names from the portal's selector map: a flow never has to borrow
another adapter's step kind (which ``validate`` refuses) to record a validation error.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from portwright.flow.steps.base import StepBase

__all__ = ["FormErrorsStep"]


class FormErrorsStep(StepBase):
    """Raise ``PortalValidationError`` when the page shows any message named ``errors``
    (or ``summary``); do nothing when it shows none.

    Only shown messages count: an empty or hidden message element (many forms render one
    per field, always) is not a message. ``field_attrs`` name the attributes that may
    identify the field of each ``errors`` message (e.g. ``id`` holding
    ``error-reference_id`` in one UI version, ``data-testid`` in another); the first
    present one is used and ``field_prefix`` is stripped from it.
    """

    action: Literal["form_errors"]
    errors: str = Field(description="Logical name (a list) matching every field error "
                                    "message.")
    summary: str | None = Field(
        default=None,
        description="Logical name (a list) matching form-level messages, which name no "
                    "field; one repeating a field message's words is left out.")
    field_attrs: list[str] = Field(
        default_factory=list,
        description="Attributes of an 'errors' element that may name its field; the first "
                    "present one is used.")
    field_prefix: str = Field(default="",
                              description="Stripped from the start of the field's name.")
    message: str = Field(default="the portal refused the form",
                         description="Headline of the error (templated).")
    expect: str | None = Field(
        default=None,
        description="Logical name of what a successful submit shows; when neither it nor "
                    "any message is on the page (an error page), the step fails at once.")

    def selector_names(self) -> Iterator[str]:
        yield self.errors
        if self.summary:
            yield self.summary
        if self.expect:
            yield self.expect
