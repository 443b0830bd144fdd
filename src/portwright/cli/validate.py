"""``portwright validate [paths]``: check flows and selector maps; exit 1 on any error.

Beyond each file's own schema, every logical name a flow can reach must exist in the map
versions of its portal: in all versions its ``supports`` lists, or, without ``supports``,
in at least one (a name only some versions define is a warning). Names inside an ``if``
branch a version's map rules out (``map_offers``) are not required of that version; a
``supports`` version or ``map_offers`` name no map has is an error, and so is a flow
using logical names for a portal with no maps at all
(:mod:`portwright.flow.version_checks`).

Checking nothing is never success: a path that does not exist (exit 2, as a bad
argument), a file that is neither a flow nor a selector map, a configured flows or
selectors folder that does not exist, and finding no file to check are errors (exit 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from portwright.exceptions import ConfigError, PortwrightError, SelectorMapError

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


_YAML = (".yaml", ".yml")
_MAP_HEAD = re.compile(r"^portal:", re.MULTILINE)
_MAP_VERSION = re.compile(r"^version:", re.MULTILINE)


def _head(path: Path) -> str:
    """The text to recognise a file by; one that is not UTF-8 is still recognised, so
    loading it reports where it is not."""
    from portwright.flow.yaml_source import read_yaml_text_leniently

    try:
        return read_yaml_text_leniently(path)
    except OSError:
        return ""


def _is_flow(path: Path, flows_root: Path) -> bool:
    """A YAML file under the flows folder, or one elsewhere with a top-level ``flow:``."""
    return path.suffix in _YAML and (
        flows_root in path.resolve().parents or "\nflow:" in "\n" + _head(path))


def _is_selector_map(path: Path) -> bool:
    """A YAML file with top-level ``portal:`` and ``version:`` keys (outside the
    selectors folder, where every YAML file is one)."""
    head = _head(path) if path.suffix in _YAML else ""
    return bool(_MAP_HEAD.search(head) and _MAP_VERSION.search(head))


def _not_recognized(path: Path, flows_root: Path, selectors_root: Path) -> str:
    return (f"{path}: neither a flow nor a selector map; expected a flow (a YAML file with "
            f"a top-level 'flow:' key, or any YAML file under {flows_root}) or a selector "
            f"map (a YAML file under {selectors_root}/<portal>/, or one with top-level "
            f"'portal:' and 'version:' keys)")


def validate_workspace(paths: list[Path] | None = None) -> Report:
    """Everything ``validate`` checks, as data.

    Without ``paths``: the workspace's flows and selectors folders, each of which must
    exist. A path that does not exist, a file that is neither a flow nor a selector map,
    and finding nothing at all to check are errors: a report with no errors always means
    something was checked.
    """
    from portwright.flow.call_checks import call_problems
    from portwright.flow.loader import FlowProblems, load_flow
    from portwright.flow.repository import FlowRepository, duplicate_flow_error
    from portwright.flow.version_checks import no_maps_problem
    from portwright.selector_map.loader import SelectorMapProblems, load_portal_maps
    from portwright.settings import load_settings

    settings = load_settings()
    flows_root = settings.path("flows").resolve()
    selectors_root = settings.path("selectors").resolve()
    errors: list[str] = []
    warnings: list[str] = []
    targets: list[Path] = []
    if paths:
        for given in paths:
            if given.exists():
                targets.append(given.resolve())
            else:
                errors.append(f"{given}: no such file or folder")
    else:
        for name in ("flows", "selectors"):
            try:
                targets.append(settings.existing_folder(name).resolve())
            except ConfigError as exc:
                errors.append(str(exc))
    checked = 0
    map_folders: set[Path] = set()
    flow_files: list[Path] = []
    for t in targets:
        if t.is_dir() and (t == selectors_root or selectors_root in t.parents):
            map_folders.update(f.parent for f in t.rglob("*.yaml"))
        elif t.is_file() and selectors_root in t.parents:
            map_folders.add(t.parent)
        elif t.is_dir():
            if t in selectors_root.parents:  # e.g. `validate .` from the workspace root
                map_folders.update(f.parent for f in selectors_root.rglob("*.yaml"))
            flow_files.extend(f for f in sorted(t.rglob("*.yaml"))
                              if selectors_root not in f.parents and _is_flow(f, flows_root))
        elif _is_flow(t, flows_root):
            flow_files.append(t)
        elif _is_selector_map(t):
            map_folders.add(t.parent)
        else:
            errors.append(_not_recognized(t, flows_root, selectors_root))
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
    duplicates = repo.duplicates()
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
        in_workspace = flows_root in f.resolve().parents
        if in_workspace and f.resolve().parent.name != flow.portal:
            errors.append(f"{f}:1:1: flow '{flow.flow}' is in folder "
                          f"'{f.parent.name}' (field 'flow'); expected a name starting with "
                          f"'{f.parent.name}.'")
        if in_workspace:
            twins = duplicates.get(flow.flow, [])
            if twins and f.resolve() == twins[0].resolve():
                errors.append(str(duplicate_flow_error(flow.flow, twins)))
            errors.extend(str(p) for p in call_problems(flow, repo))
        portal_maps = maps.get(flow.portal)
        folder = selectors_root / flow.portal
        if portal_maps is None and folder.is_dir() and folder not in map_folders:
            # the maps were not among the targets: check them now, since every logical
            # name of the flow is checked against them (and report why it cannot be)
            map_folders.add(folder)
            try:
                portal_maps = maps[flow.portal] = load_portal_maps(folder)
            except SelectorMapProblems as exc:
                errors.extend(str(p) for p in exc.problems)
            except SelectorMapError as exc:
                errors.append(str(exc))
        no_maps = no_maps_problem(flow, folder) if not portal_maps else None
        if no_maps is not None:
            errors.append(no_maps)
        if portal_maps:
            errs, warns = _missing_names(f, flow, portal_maps)
            errors.extend(errs)
            warnings.extend(warns)
    if checked == 0 and not errors:
        errors.append("nothing to validate: no flow or selector-map file in "
                      + ", ".join(str(t) for t in targets))
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
    from portwright.flow.version_checks import map_version_problems

    errors: list[str] = []
    warnings: list[str] = []
    declared = flow.supports is not None
    versions = flow.supports or sorted(maps)
    errors.extend(map_version_problems(file, flow, maps))
    versions = [v for v in versions if v in maps]
    reaching: dict[tuple[int, str], list[str]] = {}
    steps: dict[int, StepBase] = {}
    for version in versions:
        for step in reachable_steps(flow, maps[version].entries):
            steps[id(step)] = step
            for name in step.selector_names():
                reaching.setdefault((id(step), name), []).append(version)
            errors.extend(_unreadable_in_html(file, flow, step, version, maps[version]))
    for (key, name), reached_by in reaching.items():
        lacking = [v for v in reached_by if name not in maps[v].entries]
        if not lacking:
            continue
        position, field = steps[key].place_of(name)
        where = position or f"{file}"
        text = (f"{where}: logical name '{name}' is not in selector map {flow.portal} "
                f"{', '.join(lacking)} (field '{field}'); expected a name defined in "
                f"{maps[lacking[0]].file} or the map it extends")
        (errors if declared or lacking == reached_by else warnings).append(text)
    return sorted(set(errors)), sorted(set(warnings))


def _unreadable_in_html(file: Path, flow: Flow, step: StepBase, version: str,
                        smap: ResolvedMap) -> list[str]:
    """An ``extract`` from fetched HTML whose names need a rendered page in this map
    version (role, label, text strategies): found here rather than mid-run."""
    from portwright.flow.steps.extract import ExtractStep
    from portwright.runner.html_documents import unreadable_in_html

    if not isinstance(step, ExtractStep) or step.html is None:
        return []
    out = []
    for bad in unreadable_in_html(step, smap.entries):
        position, _ = step.place_of(bad.name)
        origin = smap.origin.get(bad.name, smap.file)
        out.append(f"{position or file}: {bad} (map {flow.portal} {version}: {origin}); "
                   "expected CSS, XPath or test-id strategies for names read from "
                   "fetched HTML")
    return out


def validate(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Files or folders.", exists=True)] = None,
) -> None:
    """Check flows and selector maps (default: the whole workspace); exit 1 on errors,
    or when there was nothing to check."""
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
