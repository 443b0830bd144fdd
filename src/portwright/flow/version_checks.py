"""What a flow says about its portal's map versions, checked against the maps there are.

Two fields name map facts that no run contradicts: a ``supports`` version no map has
silently drops out of every name check, and a ``map_offers`` name no map version
defines makes every version take ``else`` forever (so the names under ``then`` are
never checked either). Both are typos a run never reports; ``portwright validate``
reports each at its own line, naming what exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from portwright.exceptions import FlowDefinitionError
from portwright.flow.steps.if_ import IfStep
from portwright.flow.yaml_source import YamlDocument, load_yaml, read_yaml_text

if TYPE_CHECKING:
    from portwright.flow.model import Flow
    from portwright.selector_map.loader import ResolvedMap

__all__ = ["map_version_problems", "no_maps_problem"]


def map_version_problems(file: Path, flow: Flow, maps: Mapping[str, ResolvedMap]
                         ) -> list[str]:
    """Errors for ``supports`` versions and ``map_offers`` names that no map of the
    flow's portal has (``maps``: every version of it, as loaded)."""
    from portwright.selector_map.loader import version_key

    versions = ", ".join(sorted(maps, key=version_key))
    found: list[tuple[tuple[str | int, ...], str, str | None, str]] = []
    for i, version in enumerate(flow.supports or []):
        if version not in maps:
            found.append((("supports", i), f"'supports' names unknown map version "
                          f"'{version}'", None, f"one of: {versions}"))
    defined = {name for m in maps.values() for name in m.entries}
    for step in flow.walk():
        if not isinstance(step, IfStep):
            continue
        for i, name in enumerate(step.map_offers or []):
            if name not in defined:
                found.append(((*step.loc, "map_offers", i),
                              f"'map_offers' names '{name}', which no selector map of "
                              f"{flow.portal} defines: every version takes 'else'",
                              f"{step.path}.map_offers[{i}]",
                              f"a logical name defined in at least one of: {versions}"))
    if not found:
        return []
    doc: YamlDocument = load_yaml(read_yaml_text(file, FlowDefinitionError), file,
                                  FlowDefinitionError)
    out = []
    for loc, message, field, expected in found:
        line, col, _ = doc.position(loc)
        out.append(str(FlowDefinitionError(message, file=file, line=line, column=col,
                                           field=field, expected=expected)))
    return out


def no_maps_problem(flow: Flow, folder: Path) -> str | None:
    """An error when the flow uses logical names but its portal has no selector map in
    ``folder`` (``selectors/<portal>/``): every run would fail at its first name, and
    without maps no name of the flow can be checked. None when it uses none (a flow of
    only ``request`` steps needs no map) or a map file is there."""
    if folder.is_dir() and any(folder.glob("*.yaml")):
        return None
    for step in flow.walk():
        names = [*step.selector_names(),
                 *(step.map_offers or [] if isinstance(step, IfStep) else [])]
        if not names:
            continue
        position, field = step.place_of(names[0])
        return str(FlowDefinitionError(
            f"logical name '{names[0]}' cannot be checked: portal '{flow.portal}' has no "
            f"selector maps", file=position.file if position else flow.source,
            line=position.line if position else None,
            column=position.column if position else None, field=field,
            expected=f"a selector map {folder}/<version>.yaml (portal: {flow.portal})"))
    return None
