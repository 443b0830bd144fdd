"""A count a flow may write as a template (``limit``, ``paginate.max_pages``), rendered
when its step runs.

One rule for every such field, so a template that renders to "ten" or "0" fails the same
way wherever it stands: a step error naming the field, where the step is written, the
template and what it gave, and what was expected; not Python's ``invalid literal for
int()``, which names neither the field nor the flow.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from portwright.exceptions import StepError

if TYPE_CHECKING:
    from portwright.flow.steps.base import StepBase
    from portwright.runner.context import RunContext

__all__ = ["COUNT_EXPECTED", "rendered_count"]

COUNT_EXPECTED = "a whole number greater than or equal to 1"
_WHOLE_NUMBER = re.compile(r"[0-9]+")


def rendered_count(run: RunContext, written: int | str, *, field: str,
                   step: StepBase | None) -> int:
    """``written`` as a count: a number as it stands, a template rendered now. What it
    renders to must be a whole number >= 1, or the step fails with a ``StepError``
    saying which ``field`` of which step (its file:line) gave what."""
    if isinstance(written, int):
        if written >= 1:
            return written
        rendered = str(written)
    else:
        rendered = run.text(written).strip()
        if _WHOLE_NUMBER.fullmatch(rendered) and int(rendered) >= 1:
            return int(rendered)
    where = f" at {step.position}" if step is not None and step.position else ""
    raise StepError(
        run.redact(f"{field}{where}: {written!r} rendered to {rendered!r}, "
                   f"expected {COUNT_EXPECTED}"),
        flow=run.flow.flow, step=None if step is None else step.title,
        hint="make the template render a count, e.g. give the input it reads a value "
             "such as 5")
