"""``download``: click something that downloads a file and keep the file."""

from __future__ import annotations

from typing import ClassVar, Literal

from portwright.flow.steps.base import TargetedStep


class DownloadStep(TargetedStep):
    """Click ``target`` and save the download in the run's artifacts folder.

    ``into`` receives ``{path, filename, size}``.
    """

    action: Literal["download"]
    into: str
    may_mutate: ClassVar[bool] = False
