"""Handler of ``form_errors``: the portal's shown messages become ``PortalValidationError``.

Each list is read in one round trip to the page (text, whether it is shown, the field
attributes), so a form still re-rendering cannot drop an element between counting the
messages and reading them. The messages hold the portal's own words, redacted like any
error text, since a portal may quote back what was typed.
"""

from __future__ import annotations

from typing import Any, TypedDict

from playwright.async_api import Locator

from portwright.exceptions import PortalValidationError
from portwright.flow.steps.form_errors import FormErrorsStep
from portwright.runner.context import RunContext

__all__ = ["handle"]

#: text, shown-ness and the first present attribute of ``attrs`` of every element
_READ_MESSAGES = """(elements, attrs) => elements.map(el => {
  const shown = typeof el.checkVisibility === "function"
    ? el.checkVisibility({checkVisibilityCSS: true, visibilityProperty: true})
    : el.getClientRects().length > 0;
  const named = attrs.map(a => el.getAttribute(a)).find(v => v);
  return {text: el.innerText || el.textContent || "", shown, field: named || null};
})"""


class _Shown(TypedDict):
    text: str
    field: str | None


async def handle(step: FormErrorsStep, run: RunContext) -> None:
    field_messages = await _shown(await run.all(step.errors), step.field_attrs)
    form_messages = (await _shown(await run.all(step.summary), [])
                     if step.summary else [])
    field_words = {m["text"] for m in field_messages}
    messages = [m["text"] for m in form_messages if m["text"] not in field_words]
    messages += [_with_field(m, step.field_prefix) for m in field_messages]
    if not messages:
        if step.expect and await (await run.resolver()).probe(step.expect) is None:
            raise run.fail(step, f"after the submit the page shows neither field messages "
                           f"nor '{step.expect}' (an error page?)",
                           hint="the submit may or may not have landed: check before retrying")
        return
    headline = f"{run.flow.flow}: {run.text(step.message)}"
    raise PortalValidationError(run.redact(headline),
                                messages=[run.redact(m) for m in messages])


async def _shown(found: Locator, field_attrs: list[str]) -> list[_Shown]:
    """The shown, non-empty messages of ``found`` in page order, whitespace collapsed."""
    read: list[dict[str, Any]] = await found.evaluate_all(_READ_MESSAGES, field_attrs)
    shown: list[_Shown] = []
    for element in read:
        text = " ".join(str(element["text"]).split())
        if element["shown"] and text:
            field = element["field"]
            shown.append({"text": text, "field": str(field) if field else None})
    return shown


def _with_field(message: _Shown, prefix: str) -> str:
    """``field: text`` when the message names its field, else the text alone."""
    field = message["field"]
    if field and field.startswith(prefix):
        field = field[len(prefix):]
    return f"{field}: {message['text']}" if field else message["text"]
