"""``portwright validate [paths]``: check flows and selector maps; exit 1 on any error.

Beyond each file's own schema, every logical name a flow can reach must exist in the map
versions of its portal: in all versions its ``supports`` lists, or, without ``supports``,
in at least one (a name only some versions define is a warning). Names inside an ``if``
branch a version's map rules out (``map_offers``) are not required of that version.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from portwright.exceptions import PortwrightError, SelectorMapError

if TYPE_CHECKING:
    from portwright.flow.model import Flow
    from portwright.flow.steps.base import StepBase
    from portwright.selector_map.loader import ResolvedMap

__all__ = ["Report", "register", "validate", "validate_workspace"]


@dataclass
class Report:
    checked: int
    errors: list[str]
    warnings: list[str]


def _flow_files(paths: list[Path], flows_root: Path) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(p.rglob("*.yaml")))
        elif p.suffix in (".yaml", ".yml"):
            out.append(p)
    return [f for f in out if _is_flow(f, flows_root)]


def _is_flow(path: Path, flows_root: Path) -> bool:
    try:
        head = path.read_text(encoding="utf-8")
    except OSError:
        return False
    return "\nflow:" in "\n" + head or flows_root in path.resolve().parents


def validate_workspace(paths: list[Path] | None = None) -> Report:
    """Everything ``validate`` checks, as data."""
    from portwright.flow.loader import FlowProblems, load_flow
    from portwright.flow.repository import FlowRepository
    from portwright.selector_map.loader import SelectorMapProblems, load_portal_maps
    from portwright.settings import load_settings

    settings = load_settings()
    flows_root = settings.path("flows").resolve()
    selectors_root = settings.path("selectors").resolve()
    targets = [p.resolve() for p in paths] if paths else [flows_root, selectors_root]
    errors: list[str] = []
    warnings: list[str] = []
    checked = 0
    map_folders: set[Path] = set()
    flow_files: list[Path] = []
    for t in targets:
        if t.is_dir() and (t == selectors_root or selectors_root in t.parents):
            map_folders.update(f.parent for f in t.rglob("*.yaml"))
        elif t.is_file() and selectors_root in t.parents:
            map_folders.add(t.parent)
        else:
            flow_files.extend(_flow_files([t], flows_root))
    maps: dict[str, dict[str, ResolvedMap]] = {}
    for folder in sorted(map_folders):
        checked += len(list(folder.glob("*.yaml")))
        try:
            maps[folder.name] = load_portal_maps(folder)
        except SelectorMapProblems as exc:
            errors.extend(str(p) for p in exc.problems)
        except SelectorMapError as exc:
            errors.append(str(exc))
    repo = FlowRepository(settings.path("flows"))
    for f in flow_files:
        checked += 1
        try:
            flow = load_flow(f, flow_mutates=repo._mutates)
        except FlowProblems as exc:
            errors.extend(str(p) for p in exc.problems)
            continue
        except PortwrightError as exc:
            errors.append(str(exc))
            continue
        if flows_root in f.resolve().parents and f.resolve().parent.name != flow.portal:
            errors.append(f"{f}:1:1: flow '{flow.flow}' is in folder "
                          f"'{f.parent.name}' (field 'flow'); expected a name starting with "
                          f"'{f.parent.name}.'")
        portal_maps = maps.get(flow.portal)
        if portal_maps is None and (selectors_root / flow.portal).is_dir():
            try:
                portal_maps = maps[flow.portal] = load_portal_maps(selectors_root / flow.portal)
            except PortwrightError:
                portal_maps = None  # reported when the maps are validated
        if portal_maps:
            errs, warns = _missing_names(f, flow, portal_maps)
            errors.extend(errs)
            warnings.extend(warns)
    return Report(checked, errors, warnings)


def _missing_names(file: Path, flow: Flow, maps: dict[str, ResolvedMap]
                   ) -> tuple[list[str], list[str]]:
    """(errors, warnings) for logical names the maps lack.

    Only names a version can reach count against it: a name inside an ``if`` branch that
    version's map rules out (``map_offers``) is not required of it
    (:mod:`portwright.flow.reachability`, the rule the runner follows). A name missing in
    every version that reaches it is an error; so is any reachable missing name when the
    flow lists its versions in ``supports``. Otherwise (some versions reach and define
    it, others reach and lack it, no ``supports``) it is a warning: the flow may be meant
    for some versions only.
    """
    from portwright.flow.reachability import reachable_steps

    errors: list[str] = []
    warnings: list[str] = []
    declared = flow.supports is not None
    versions = flow.supports or sorted(maps)
    for version in versions:
        if version not in maps:
            errors.append(f"{file}: 'supports' names unknown map version '{version}'")
    versions = [v for v in versions if v in maps]
    reaching: dict[tuple[int, str], list[str]] = {}
    steps: dict[int, StepBase] = {}
    for version in versions:
        for step in reachable_steps(flow, maps[version].entries):
            steps[id(step)] = step
            for name in step.selector_names():
                reaching.setdefault((id(step), name), []).append(version)
    for (key, name), reached_by in reaching.items():
        lacking = [v for v in reached_by if name not in maps[v].entries]
        if not lacking:
            continue
        step = steps[key]
        where = step.position or f"{file}"
        text = (f"{where}: logical name '{name}' is not in selector map {flow.portal} "
                f"{', '.join(lacking)} (field '{step.path}'); expected a name defined in "
                f"{maps[lacking[0]].file} or the map it extends")
        (errors if declared or lacking == reached_by else warnings).append(text)
    return sorted(set(errors)), sorted(set(warnings))


def validate(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders.")] = None,
) -> None:
    """Check flows and selector maps (default: the whole workspace); exit 1 on errors."""
    report = validate_workspace(paths)
    for warn in report.warnings:
        typer.echo(f"warning: {warn}", err=True)
    for err in report.errors:
        typer.echo(err, err=True)
    if report.errors:
        typer.echo(f"{len(report.errors)} error(s) in {report.checked} file(s)", err=True)
        raise typer.Exit(1)
    typer.echo(f"ok: {report.checked} file(s) valid")


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
