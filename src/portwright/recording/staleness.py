"""Is a recording still a recording of the flow and map as they are now?

A replay can pass while testing nothing current: a flow bumped to version 2 whose new
steps the old recording never reaches still replays its version-1 traffic, and a
recording made against a selector-map version since deleted replays without anyone
noticing the map it proves is gone. The flow's declared ``version`` is its author's
promise of "same behaviour"; so a recording made under another version, or under a
map version the portal no longer has, is *stale*: it says so, and says how to refresh
it, rather than passing quietly.

Only the recorded flow's own version is compared: ``meta.json`` does not hold the
versions of the flows it calls.
"""

from __future__ import annotations

from collections.abc import Collection

from portwright.exceptions import PortwrightError
from portwright.flow.repository import FlowRepository, shared_repository
from portwright.recording.layout import (
    RecordingMeta,
    RecordingPaths,
    rerecord_command,
)
from portwright.selector_map.loader import load_portal_maps
from portwright.settings import Settings

__all__ = ["rerecord_hint", "stale_reasons", "workspace_stale_reasons"]


def workspace_stale_reasons(settings: Settings, paths: RecordingPaths) -> list[str]:
    """``stale_reasons`` against the workspace's flows and the portal's selector maps
    (both parsed once and cached by their loaders). A damaged recording raises its
    ``RecordingError`` instead: a half-merged HAR is not "stale, edited after recording"
    as well as broken, it is broken (one error, the one saying where)."""
    meta = paths.load_checked()
    flows = shared_repository(settings.path("flows"))
    maps = load_portal_maps(settings.path("selectors") / paths.portal)
    return stale_reasons(paths, meta, flows, maps)


def stale_reasons(paths: RecordingPaths, meta: RecordingMeta, flows: FlowRepository,
                  map_versions: Collection[str]) -> list[str]:
    """Why the recording at ``paths`` no longer matches the workspace (empty: current)."""
    reasons: list[str] = []
    if meta.ui_version != paths.ui_version:
        reasons.append(f"meta.json says UI version {meta.ui_version} but the recording is "
                       f"filed under {paths.ui_version}")
    try:
        flow = flows.get(meta.flow)
    except PortwrightError:
        reasons.append(f"the flow {meta.flow} no longer exists")
    else:
        if meta.flow_version is not None and str(meta.flow_version) != str(flow.version):
            reasons.append(f"recorded with {meta.flow} version {meta.flow_version}; the flow "
                           f"is now version {flow.version}")
    if meta.selector_map_version is not None and meta.selector_map_version not in map_versions:
        known = ", ".join(sorted(map_versions)) or "none"
        reasons.append(f"recorded against selector map {meta.selector_map_version}, which "
                       f"{meta.portal} no longer has (maps: {known})")
    if reasons:
        reasons.append(rerecord_hint(paths, meta))
    return reasons


def rerecord_hint(paths: RecordingPaths, meta: RecordingMeta) -> str:
    """The command that records ``paths`` again (:func:`rerecord_command`)."""
    return rerecord_command(paths, meta)
