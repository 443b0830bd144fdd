"""``check``: tick or untick a checkbox or radio button."""

from __future__ import annotations

from typing import ClassVar, Literal

from portwright.flow.steps.base import TargetedStep


class CheckStep(TargetedStep):
    """Set ``target`` to ``checked`` (a bool or a template rendering to true/false)."""

    action: Literal["check"]
    checked: bool | str = True
    may_mutate: ClassVar[bool] = True
