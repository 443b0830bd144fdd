"""``form_errors``: turn the validation messages a portal printed into PortalValidationError.

After a form post the portal either moves on (redirect to the saved record) or re-renders
the form with one message per bad field (or, on a bad day, answers with an error page:
with ``expect`` that is told apart at once, without waiting for a timeout). Waiting for
the success page would only time out with a useless "element not found"; this step reads
the portal's own messages and raises an error that carries them, so a caller sees
*"reference_id: Reference id already used by appointment apt_..."* and nothing was written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from portwright.exceptions import PortalValidationError
from portwright.flow.steps.base import StepBase

if TYPE_CHECKING:
    from collections.abc import Iterator

    from portwright.runner.context import RunContext

__all__ = ["FormErrorsStep", "handle_form_errors"]


class FormErrorsStep(StepBase):
    """Raise ``PortalValidationError`` when any element named ``errors`` is on the page.

    ``field_attrs`` name the attributes that may identify the field of each message (e.g.
    ``id`` holding ``error-reference_id`` in one UI version, ``data-testid`` in another);
    the first present one is used and ``field_prefix`` is stripped from it.
    """

    action: Literal["form_errors"]
    errors: str = Field(description="Logical name matching every field error message.")
    field_attrs: list[str] = Field(default_factory=list)
    field_prefix: str = ""
    message: str = Field(default="the portal refused the form",
                         description="Headline of the error (templated).")
    expect: str | None = Field(
        default=None,
        description="Logical name of what a successful submit shows; when neither it nor "
                    "field messages are on the page (an error page), the step fails at once.")

    def selector_names(self) -> Iterator[str]:
        yield self.errors
        if self.expect:
            yield self.expect


async def handle_form_errors(step: FormErrorsStep, run: RunContext) -> None:
    found = await run.all(step.errors)
    count = await found.count()
    if count == 0:
        if step.expect and await (await run.resolver()).probe(step.expect) is None:
            raise run.fail(step, f"after the submit the page shows neither field messages nor "
                           f"'{step.expect}' (an error page?)",
                           hint="the submit may or may not have landed: check before retrying")
        return
    messages: list[str] = []
    for index in range(count):
        element = found.nth(index)
        text = " ".join((await element.inner_text()).split())
        field = None
        for attr in step.field_attrs:
            field = await element.get_attribute(attr)
            if field:
                break
        if field and field.startswith(step.field_prefix):
            field = field[len(step.field_prefix):]
        messages.append(f"{field}: {text}" if field else text)
    headline = f"{run.flow.flow}: {run.text(step.message)}"
    raise PortalValidationError(run.redact(headline),
                                messages=[run.redact(m) for m in messages])
