"""A page no selector map matches: a UI release the maps do not describe yet.

Every flow of the portal fails on it, at its first step that needs a map, until someone
adds a map for the new version. That is not a flow that broke (``run_failed``) but the
portal that moved on: the finding says which ``detect`` rules of which map versions were
tried, what the page showed each (the version marker's value, never page text), the map
version the baseline was recorded with, and how to add the map.

The engine reports it as the ``SelectorMapError`` of
:func:`portwright.selector_map.detect.detect_version`, whose message lists what the
rules read (``url='…'``, ``meta app-version='5.0'``, ``js APP.version=None``, the URL
already without its query); the rules themselves are the engine's maps. An ``element``
rule's presence is not in the message: it is listed as tried, its verdict unknown.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from typing import Any

from portwright.exceptions import PortwrightError, SelectorMapError
from portwright.recording.layout import RecordingPaths
from portwright.selector_map.loader import ResolvedMap, version_key
from portwright.selector_map.model import ElementRule, JsRule, MetaRule, UrlRule
from portwright.shown_url import shown_url
from portwright_monitor.report import DetectRuleTried, Finding

__all__ = ["is_unknown_ui_version", "unknown_ui_version_finding"]

_NO_MAP = re.compile(r"no selector map of '(?P<portal>[^']*)' matches the page "
                     r"\((?P<seen>.*)\)(?:; expected |$)", re.DOTALL)
#: one ``key=value`` of the message: ``url``, ``meta NAME`` or ``js PATH``, then the
#: value as Python shows it (a quoted string, or None)
_SEEN = re.compile(r"(?P<key>url|meta [^=]+?|js [^=]+?)="
                   r"(?P<value>None|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")(?:, |$)")
#: a value longer than this is cut: a version marker is short, anything longer is not
#: one, and the report carries no page text
_SHOWN = 60


def is_unknown_ui_version(error: PortwrightError) -> bool:
    """Whether ``error`` is the engine's "no selector map matches the page"."""
    return isinstance(error, SelectorMapError) and _NO_MAP.search(error.message) is not None


def _seen(error: PortwrightError) -> dict[str, str | None]:
    """What the detect rules read (``url``, ``meta NAME``, ``js PATH`` → value), as the
    error quotes it; empty when it quotes nothing this module can read."""
    found = _NO_MAP.search(error.message)
    out: dict[str, str | None] = {}
    if found is None:
        return out
    for item in _SEEN.finditer(found.group("seen")):
        try:
            value: Any = ast.literal_eval(item.group("value"))
        except (ValueError, SyntaxError):
            continue
        if isinstance(value, str) and item.group("key") == "url":
            value = shown_url(value)   # as the engine shows it: no query (PHI)
        out[item.group("key")] = value if isinstance(value, str) else None
    return out


def _shown(value: str) -> str:
    return value if len(value) <= _SHOWN else value[:_SHOWN] + "…"


def _tried(version: str, rule: object, seen: Mapping[str, str | None]) -> DetectRuleTried:
    """``rule`` of map ``version``, with what the page showed it (see the module
    docstring: an element's presence is unknown, and so is any value the error did not
    quote)."""
    if isinstance(rule, MetaRule | JsRule):
        key = f"meta {rule.meta}" if isinstance(rule, MetaRule) else f"js {rule.js}"
        text = f"{key} ~ {rule.matches}"
        if key not in seen:
            return DetectRuleTried(version=version, rule=text)
        value = seen[key]
        return DetectRuleTried(
            version=version, rule=text, found=None if value is None else _shown(value),
            matched=value is not None and re.search(rule.matches, value) is not None)
    if isinstance(rule, UrlRule):
        url = seen.get("url")
        # the error shows the address without its query, which the rule may look at:
        # a verdict only where the query cannot matter
        matched = None if url is None or "?" in rule.url or "\\?" in rule.url else \
            re.search(rule.url, url) is not None
        return DetectRuleTried(version=version, rule=f"url ~ {rule.url}",
                               found=None if url is None else _shown(url), matched=matched)
    if isinstance(rule, ElementRule):
        return DetectRuleTried(version=version, rule=f"element {rule.element}")
    return DetectRuleTried(version=version, rule=type(rule).__name__)


def _described(tried: DetectRuleTried) -> str:
    if tried.matched is None:
        return f"{tried.rule}: {'presence' if tried.found is None else 'verdict'} not " \
            "reported"
    if tried.found is None:
        return f"{tried.rule}: absent"
    return f"{tried.rule}: found {tried.found!r}" + ("" if tried.matched else ", no match")


def unknown_ui_version_finding(flow: str, portal: str, error: PortwrightError,
                               maps: Mapping[str, ResolvedMap],
                               baseline: RecordingPaths | None) -> Finding:
    """The ``ui_version_unknown`` finding of ``error`` (see the module docstring)."""
    seen = _seen(error)
    versions = sorted(maps, key=version_key)
    tried = [_tried(version, rule, seen) for version in versions
             for rule in maps[version].detect]
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
