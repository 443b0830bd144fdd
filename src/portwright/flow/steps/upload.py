"""``upload``: set the files of an ``<input type=file>``."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from portwright.flow.steps.base import TargetedStep


class UploadStep(TargetedStep):
    """Attach ``files`` (templated paths; relative paths are against the workspace root)."""

    action: Literal["upload"]
    files: list[str] = Field(min_length=1)
    may_mutate: ClassVar[bool] = True
