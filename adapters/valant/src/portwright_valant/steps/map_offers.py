"""``map_offers``: ask the selector map of the detected UI version whether it offers names.

Two UI versions can reach the same data by different paths (2025.4 pages a server-rendered
table; 2026.1 renders from an internal JSON endpoint that a flow can capture). Which path
a version offers is a fact about that version, so it belongs in its selector map, not in
a version check inside the flow: the flow asks "does this map name the load-more
control?" and branches on the answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from portwright.flow.steps.base import StepBase

if TYPE_CHECKING:
    from portwright.runner.context import RunContext

__all__ = ["MapOffersStep", "handle_map_offers"]


class MapOffersStep(StepBase):
    """Set ``into`` to true when the detected map defines every name in ``names``.

    The names are deliberately not reported by ``selector_names``: a version without them
    is expected, not a map error.
    """

    action: Literal["map_offers"]
    names: list[str] = Field(min_length=1)
    into: str


async def handle_map_offers(step: MapOffersStep, run: RunContext) -> None:
    resolver = await run.resolver()
    offered = all(name in resolver.map.entries for name in step.names)
    run.note(step, offered=offered, map_version=resolver.map.version)
    run.set_var(step.into, offered)
