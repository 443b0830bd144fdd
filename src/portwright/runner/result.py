"""What a run returns: outputs plus the provenance needed to trust them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ResolutionRecord", "RunResult", "StepRecord"]


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


class RunResult(BaseModel):
    """Outputs of a flow run, with provenance on every result.

    ``portal_version`` is the UI version detected on the live page (or pinned);
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
