"""What a run returns: outputs plus the provenance needed to trust them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["PartialResult", "ResolutionRecord", "RunResult", "StepRecord", "attach_partial",
           "partial_result"]


class StepRecord(BaseModel):
    """One executed step: where it is, how long it took, how it ended."""

    model_config = ConfigDict(frozen=True)

    path: str
    action: str
    id: str | None = None
    flow: str
    status: Literal["ok", "failed", "skipped"]
    ms: float
    attempts: int = 1
    detail: dict[str, Any] = Field(default_factory=dict)


class ResolutionRecord(BaseModel):
    """How one logical name was found (the canary monitor reads these)."""

    model_config = ConfigDict(frozen=True)

    name: str
    strategy: str | None
    index: int | None
    count: int
    ms: float
    outcome: Literal["primary", "fallback", "missing", "ambiguous", "empty", "absent",
                     "unverified", "invalid"]
    url: str
    #: the classification of an earlier resolution of the name on the same document
    reused: bool = False
    #: the logical name of the <iframe> the name was looked for in (None: the page)
    frame: str | None = None


class RunResult(BaseModel):
    """Outputs of a flow run, with provenance on every result.

    ``portal_version`` is the UI version detected on the live page (or pinned);
    ``version_pinned`` says the caller pinned it (``selector_version``, the engine's
    ``selector_versions`` or ``--selectors-version``), even when the flow resolved no name;
    ``selector_map_version`` is the map used and ``selector_map_chain`` the versions it
    inherits from; ``flow_version`` is the flow header's version.
    """

    flow: str
    flow_version: int | str
    portal: str
    portal_version: str | None = None
    version_pinned: bool = False
    selector_map_version: str | None = None
    selector_map_chain: list[str] = Field(default_factory=list)
    outputs: dict[str, Any] = Field(default_factory=dict)
    steps: list[StepRecord] = Field(default_factory=list)
    resolutions: list[ResolutionRecord] = Field(default_factory=list)
    artifacts: list[Path] = Field(default_factory=list)
    started_at: datetime
    ms: float

    def to_json(self, *, indent: int | None = 2) -> str:
        """JSON with entities in their own (camelCase) form."""
        return self.model_dump_json(indent=indent, by_alias=True)


class PartialResult(BaseModel):
    """What a run that failed had found before it failed (no outputs).

    A run that fails at step 5 may well have resolved steps 1 to 4 by fallback, on a UI
    version it detected: a drift monitor reports exactly that, and proposes the map fix.
    ``Engine.run`` attaches one to the error it raises (read it with
    :func:`partial_result`), so it belongs to that run alone, however many runs share the
    engine. ``portal_version`` is None when the failure is that no map matches the page.
    """

    model_config = ConfigDict(frozen=True)

    flow: str
    portal: str
    portal_version: str | None = None
    version_pinned: bool = False
    selector_map_version: str | None = None
    selector_map_chain: list[str] = Field(default_factory=list)
    steps: list[StepRecord] = Field(default_factory=list)
    resolutions: list[ResolutionRecord] = Field(default_factory=list)


_PARTIAL = "partial"


def attach_partial(error: BaseException, partial: PartialResult) -> None:
    """Carry ``partial`` on the error a failed run raises (a run nested in another one
    is replaced by the outer run's, which the error leaves last)."""
    setattr(error, _PARTIAL, partial)


def partial_result(error: BaseException) -> PartialResult | None:
    """What the failed run ``error`` came from had found (None: the run never started,
    e.g. its inputs or portal URL were refused)."""
    found = getattr(error, _PARTIAL, None)
    return found if isinstance(found, PartialResult) else None
