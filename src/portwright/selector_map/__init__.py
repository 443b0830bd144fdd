"""Versioned selector maps: models, loading with ``extends``, detection and resolution."""

from __future__ import annotations

from portwright.selector_map.detect import Detection, detect_version
from portwright.selector_map.loader import ResolvedMap, SelectorMapProblems, load_portal_maps
from portwright.selector_map.model import SelectorEntry, SelectorMapFile
from portwright.selector_map.resolver import Resolution, Resolver

__all__ = [
    "Detection",
    "Resolution",
    "ResolvedMap",
    "Resolver",
    "SelectorEntry",
    "SelectorMapFile",
    "SelectorMapProblems",
    "detect_version",
    "load_portal_maps",
]
