"""A page no selector map matches: a UI release the maps do not describe yet.

Every flow of the portal fails on it, at its first step that needs a map, until someone
adds a map for the new version. That is not a flow that broke (``run_failed``) but the
portal that moved on: the finding says which ``detect`` rules of which map versions were
tried, what the page showed each (the version marker's value, never page text), the map
version the baseline was recorded with, and how to add the map.

The engine reports it as :class:`~portwright.exceptions.UnknownUIVersion`, which carries
every rule of every map version with detect rules, each with what the page showed it and
its verdict (an ``element`` rule's too: whether its element was there); nothing is read
back from the error's text.
"""

from __future__ import annotations

from collections.abc import Mapping

from portwright.exceptions import DetectRuleVerdict, PortwrightError, UnknownUIVersion
from portwright.recording.layout import RecordingPaths
from portwright.selector_map.loader import ResolvedMap, version_key
from portwright_monitor.report import DetectRuleTried, Finding

__all__ = ["unknown_ui_version_finding"]

#: a value longer than this is cut: a version marker is short, anything longer is not
#: one, and the report carries no page text
_SHOWN = 60


def _shown(value: str) -> str:
    return value if len(value) <= _SHOWN else value[:_SHOWN] + "…"


def _tried(verdict: DetectRuleVerdict) -> DetectRuleTried:
    """The report's form of one rule's verdict (an element rule shows no value: its
    element's text is page data)."""
    return DetectRuleTried(version=verdict.version, rule=verdict.rule,
                           found=None if verdict.seen is None else _shown(verdict.seen),
                           matched=verdict.matched)


def _described(tried: DetectRuleTried) -> str:
    if tried.rule.startswith("element "):
        return f"{tried.rule}: {'present' if tried.matched else 'absent'}"
    if tried.found is None:
        return f"{tried.rule}: absent"
    return f"{tried.rule}: found {tried.found!r}" + ("" if tried.matched else ", no match")


def unknown_ui_version_finding(flow: str, error: UnknownUIVersion,
                               maps: Mapping[str, ResolvedMap],
                               baseline: RecordingPaths | None) -> Finding:
    """The ``ui_version_unknown`` finding of ``error`` (see the module docstring);
    ``maps`` are the portal's, for the versions without detect rules and the newest."""
    portal = error.portal
    versions = sorted({*maps, *(v.version for v in error.tried)}, key=version_key)
    order = {version: i for i, version in enumerate(versions)}
    tried = [_tried(v) for v in sorted(error.tried, key=lambda v: order[v.version])]
    by_version = []
    for version in versions:
        rules = [_described(t) for t in tried if t.version == version]
        by_version.append(f"{version} [{'; '.join(rules)}]" if rules
                          else f"{version} [no detect rules: used only when pinned]")
    recorded_with = None
    if baseline is not None:
        try:
            recorded_with = baseline.load_meta().selector_map_version
        except PortwrightError:
            recorded_with = None
        recorded_with = recorded_with or baseline.ui_version
    on = f"; the baseline ({baseline.ui_version}/{baseline.scenario}) was recorded on UI " \
        f"{baseline.ui_version} with map {recorded_with}" if baseline is not None else \
        "; no baseline recording to compare with"
    newest = versions[-1] if versions else None
    extends = f' with extends: "{newest}"' if newest else ""
    return Finding(
        severity="failed", kind="ui_version_unknown", flow=flow,
        detail=f"the page matches no selector map of '{portal}': a UI version no map "
        f"describes. Tried {'; '.join(by_version) or 'no map'}{on}. If the portal "
        f"shipped a new UI, add selectors/{portal}/<version>.yaml{extends} and detect "
        f"rules this page matches, then check it: portwright selectors check {portal} "
        f"--url URL --version <version>; if it is still a known UI, fix that version's "
        "detect rules",
        map_version=recorded_with, rules_tried=tried)
