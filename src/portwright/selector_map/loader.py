"""Read every selector map of a portal and apply ``extends`` (inherit, override, remove).

Results are cached by file modification times, so a long-running engine re-reads a map
only when it changed on disk.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap

from portwright.exceptions import SelectorMapError
from portwright.flow.definition_errors import to_definition_errors
from portwright.flow.yaml_source import YamlDocument, load_yaml, read_yaml_text
from portwright.selector_map.model import (
    DetectRule,
    JsRule,
    MetaRule,
    PageSpec,
    SelectorEntry,
    SelectorMapFile,
    UrlRule,
    inline_frame_name,
)

__all__ = ["ResolvedMap", "SelectorMapProblems", "load_map_file", "load_portal_maps",
           "pinned_map", "portal_maps", "portals_with_maps", "version_key"]


class SelectorMapProblems(SelectorMapError):
    """All problems of one or more map files; reads as the first one."""

    def __init__(self, problems: list[SelectorMapError]) -> None:
        from portwright.exceptions import PortwrightError

        self.problems = problems
        first = problems[0]
        more = f"{len(problems) - 1} more problem(s)" if len(problems) > 1 else None
        PortwrightError.__init__(self, first.message, hint=more or first.hint)
        self.file, self.line, self.column = first.file, first.line, first.column
        self.field, self.expected = first.field, first.expected

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


@dataclass(frozen=True)
class ResolvedMap:
    """One UI version's complete map, ``extends`` applied."""

    portal: str
    version: str
    file: str
    chain: tuple[str, ...]
    detect: tuple[DetectRule, ...]
    pages: dict[str, PageSpec]
    entries: dict[str, SelectorEntry]
    origin: dict[str, str] = field(default_factory=dict)  # name → file defining it

    def entry(self, name: str) -> SelectorEntry | None:
        return self.entries.get(name)


def version_key(version: str) -> tuple[tuple[int, str], ...]:
    """Sort key: numeric parts compare as numbers (2026.10 > 2026.9)."""
    return tuple((int(p), "") if p.isdigit() else (0, p) for p in re.split(r"[._-]", version))


_NAME_EXAMPLE = {"selectors": "a logical name, e.g. nav.signed_in",
                 "pages": "a page key (a logical name's first segment), e.g. patients"}


def _key_problems(doc: YamlDocument) -> list[SelectorMapError]:
    """Keys of ``selectors`` and ``pages`` that are not names: YAML reads a missing key
    as null, ``true`` as a boolean and ``1.10`` as a number, and the plain copy the model
    is validated from turns each into text ('None', 'True', '1.1') that looks like a name;
    an empty or blank string is no name either."""
    problems: list[SelectorMapError] = []
    for section, example in _NAME_EXAMPLE.items():
        mapping = doc.tree.get(section)
        if not isinstance(mapping, CommentedMap):
            continue
        for key in mapping:
            expected = example
            if key is None:
                what = "a name is missing: the key before ':' is empty (YAML reads it as null)"
            elif isinstance(key, bool | int | float):
                kind = "boolean" if isinstance(key, bool) else "number"
                what = f"name {key!r} was read as a {kind}, not as text"
                expected += "; quote it to keep it as written"
            elif isinstance(key, str) and not key.strip():
                what = "empty name ''" if not key else f"blank name {key!r}"
            else:
                continue
            line, col = doc.key_position((section, key))
            problems.append(SelectorMapError(what, file=doc.file, line=line,
                                             column=col, field=section,
                                             expected=expected))
    return problems


def load_map_file(path: Path) -> tuple[SelectorMapFile, YamlDocument]:
    """Parse one file; raise every problem found in it."""
    doc = load_yaml(read_yaml_text(path, SelectorMapError), path, SelectorMapError)
    problems = _key_problems(doc)
    try:
        model = SelectorMapFile.model_validate(doc.data)
    except ValidationError as exc:
        errors = to_definition_errors(exc, doc, SelectorMapFile, SelectorMapError)
        problems += [e for e in errors if isinstance(e, SelectorMapError)]
        problems.sort(key=lambda e: (e.line or 0, e.column or 0))
        raise SelectorMapProblems(problems) from None

    def at(loc: tuple[str | int, ...], message: str, fld: str, expected: str) -> None:
        line, col, _ = doc.position(loc)
        problems.append(SelectorMapError(message, file=doc.file, line=line, column=col,
                                         field=fld, expected=expected))

    if model.version != path.stem:
        at(("version",), f"version '{model.version}' differs from the file name '{path.name}'",
           "version", f'"{path.stem}" (the file name without .yaml)')
    if model.portal != path.parent.name:
        at(("portal",), f"portal '{model.portal}' differs from the folder "
           f"'{path.parent.name}'", "portal", f'"{path.parent.name}" (the folder name)')
    for i, rule in enumerate(model.detect):
        pattern = rule.matches if isinstance(rule, MetaRule | JsRule) else (
            rule.url if isinstance(rule, UrlRule) else None)
        if pattern is None:
            continue
        try:
            re.compile(pattern)
        except re.error as exc:
            key = "url" if isinstance(rule, UrlRule) else "matches"
            at(("detect", i, key), f"invalid regular expression: {exc}", f"detect[{i}].{key}",
               "a valid Python regular expression")
    if problems:
        raise SelectorMapProblems(problems)
    return model, doc


_cache: dict[Path, tuple[tuple[tuple[str, float], ...], dict[str, ResolvedMap]]] = {}


def portals_with_maps(selectors: Path) -> list[str]:
    """The portals that have at least one map in the ``selectors`` folder."""
    if not selectors.is_dir():
        return []
    return sorted(d.name for d in selectors.iterdir() if d.is_dir() and any(d.glob("*.yaml")))


def portal_maps(selectors: Path, portal: str) -> dict[str, ResolvedMap]:
    """Every map version of ``portal`` (``load_portal_maps``); a ``SelectorMapError`` naming
    the portals there are when it has none."""
    maps = load_portal_maps(selectors / portal)
    if not maps:
        known = portals_with_maps(selectors)
        raise SelectorMapError(
            f"no selector maps for portal '{portal}'", file=selectors / portal,
            expected=("a portal with maps: " + ", ".join(known)) if known else
            f"a portal with maps in {selectors}/<portal>/<version>.yaml",
        )
    return maps


def pinned_map(maps: dict[str, ResolvedMap], version: str, folder: Path) -> ResolvedMap:
    """The map of a version pinned by the user; a ``SelectorMapError`` naming the versions
    there are when it does not exist."""
    found = maps.get(version)
    if found is None:
        raise SelectorMapError(
            f"pinned selector-map version '{version}' does not exist", file=folder,
            expected="one of " + ", ".join(sorted(maps, key=version_key)),
        )
    return found


def load_portal_maps(folder: Path) -> dict[str, ResolvedMap]:
    """Every version in ``selectors/<portal>/``, resolved; cached by mtimes."""
    files = sorted(folder.glob("*.yaml"))
    stamp = tuple((str(f), f.stat().st_mtime) for f in files)
    cached = _cache.get(folder)
    if cached and cached[0] == stamp:
        return cached[1]
    parsed: dict[str, tuple[SelectorMapFile, YamlDocument]] = {}
    problems: list[SelectorMapError] = []
    for f in files:
        try:
            model, doc = load_map_file(f)
        except SelectorMapProblems as exc:
            problems.extend(exc.problems)
            continue
        except SelectorMapError as exc:
            problems.append(exc)
            continue
        parsed[model.version] = (model, doc)
    resolved: dict[str, ResolvedMap] = {}
    for version in parsed:
        try:
            resolved[version] = with_inline_frames(_resolve(version, parsed, ()))
        except SelectorMapProblems as exc:
            problems.extend(p for p in exc.problems if p not in problems)
    if problems:
        unique: dict[str, SelectorMapError] = {str(p): p for p in problems}
        raise SelectorMapProblems(list(unique.values()))
    _cache[folder] = (stamp, resolved)
    return resolved


def _inherited_users(removed: str, entries: dict[str, SelectorEntry],
                     pages: dict[str, PageSpec], model: SelectorMapFile) -> list[str]:
    """Inherited entries and pages (not redefined by ``model``) that still name
    ``removed``: as their ``scope`` or ``frame``, or among a page's ``setup`` clicks.
    Removing a name from a version must not leave a name that version still resolves
    through it."""
    users = [f"'{name}' (its {what})" for name, entry in entries.items()
             if name not in model.selectors
             for what, used in (("scope", entry.scope), ("frame", entry.frame))
             if used == removed]
    users += [f"page '{key}' (its setup)" for key, spec in pages.items()
              if removed in spec.setup and key not in model.pages]
    return users


#: where a problem is reported: (location in the document, message, field, expected)
At = Callable[[tuple[str | int, ...], str, str, str], None]


def _parent(name: str, entries: dict[str, SelectorEntry]) -> tuple[str, str] | None:
    """(field, name) that ``name`` is resolved within: its scope, else its frame."""
    entry = entries.get(name)
    if entry is None:
        return None
    if entry.scope is not None:
        return "scope", entry.scope
    frame = entry.frame_name(name)
    return None if frame is None else ("frame", frame)


def _chain_cycle(name: str, entries: dict[str, SelectorEntry], at: At) -> None:
    """Report a cycle in what ``name`` is resolved within (scopes and frames alike: an
    element inside a frame whose <iframe> is inside that element can never be found)."""
    first = _parent(name, entries)
    if first is None:
        return
    seen, (fld, cur), frames = [name], first, first[0] == "frame"
    while True:
        if cur in seen:
            if frames:
                at(("selectors", name, fld), "frame chain makes a cycle: "
                   + " → ".join([*seen, cur]), f"selectors.{name}.{fld}",
                   "frames and scopes that end at a name without 'frame' or 'scope'")
            else:
                at(("selectors", name, fld), "scope chain makes a cycle: "
                   + " → ".join([*seen, cur]), f"selectors.{name}.{fld}",
                   "scopes that end at a name without 'scope'")
            return
        seen.append(cur)
        step = _parent(cur, entries)
        if step is None:
            return
        frames = frames or step[0] == "frame"
        cur = step[1]


def _frame_problems(model: SelectorMapFile, entries: dict[str, SelectorEntry],
                    at: At) -> None:
    """``frame`` of this file's entries: a known name of one element, not with ``scope``
    (an element within a scope is in the scope's frame already), and an inline frame's
    name (``<name>#frame``) not taken by an entry of its own."""
    for name, entry in model.selectors.items():
        if entry.frame is None:
            continue
        where, fld = ("selectors", name, "frame"), f"selectors.{name}.frame"
        target = entry.frame_name(name)
        if entry.scope is not None:
            at(where, "'frame' and 'scope' together: an element within a scope is in the "
               "scope's frame already", fld, f"either 'scope: {entry.scope}' (and 'frame' on "
               f"'{entry.scope}' if it is inside a frame), or 'frame' alone")
        elif isinstance(entry.frame, str) and entry.frame not in entries:
            at(where, f"frame '{entry.frame}' is not a logical name of this map", fld,
               "the logical name of the <iframe> element, defined in this map or the one it "
               "extends (or its strategies: frame: [{css: \"iframe#pay\"}])")
        elif isinstance(entry.frame, str) and entries[entry.frame].all:
            at(where, f"frame '{entry.frame}' names a list (all: true), not one <iframe>",
               fld, f"a name of one <iframe> element ('nth' on '{entry.frame}' picks one)")
        elif isinstance(entry.frame, list) and target in entries:
            at(where, f"the inline frame is named '{target}', which is a logical name of "
               "this map already", fld, f"the frame written as a name: frame: {target}")
        else:
            _chain_cycle(name, entries, at)


def with_inline_frames(smap: ResolvedMap) -> ResolvedMap:
    """``smap`` with an entry for each frame written inline (``frame: [strategies]``),
    named ``<owner>#frame`` and placed before its owner, so it resolves, logs and is
    checked like a named frame. Added once a version is resolved, never inherited: a map
    that overrides the owner without an inline frame must not keep the old one."""
    entries: dict[str, SelectorEntry] = {}
    origin = dict(smap.origin)
    for name, entry in smap.entries.items():
        if isinstance(entry.frame, list):
            frame = inline_frame_name(name)
            entries[frame] = SelectorEntry(
                strategies=entry.frame,
                description=f"the <iframe> that holds '{name}' (its inline frame)")
            if name in smap.origin:
                origin[frame] = smap.origin[name]
        entries[name] = entry
    if len(entries) == len(smap.entries):
        return smap
    return replace(smap, entries=entries, origin=origin)


def _resolve(
    version: str,
    parsed: dict[str, tuple[SelectorMapFile, YamlDocument]],
    seen: tuple[str, ...],
) -> ResolvedMap:
    model, doc = parsed[version]
    problems: list[SelectorMapError] = []

    def at(loc: tuple[str | int, ...], message: str, fld: str, expected: str) -> None:
        line, col, _ = doc.position(loc)
        problems.append(SelectorMapError(message, file=doc.file, line=line, column=col,
                                         field=fld, expected=expected))

    entries: dict[str, SelectorEntry] = {}
    origin: dict[str, str] = {}
    pages: dict[str, PageSpec] = {}
    chain: tuple[str, ...] = (version,)
    if model.extends is not None:
        if model.extends in (*seen, version):
            cycle = " → ".join((*seen, version, model.extends))
            at(("extends",), f"'extends' makes a cycle: {cycle}",
               "extends", "a chain of versions that ends in a map without 'extends'")
        elif model.extends not in parsed:
            at(("extends",), f"extends unknown version '{model.extends}'", "extends",
               "one of the versions in this folder: " + ", ".join(sorted(parsed)))
        else:
            parent = _resolve(model.extends, parsed, (*seen, version))
            entries.update(parent.entries)
            origin.update(parent.origin)
            pages.update(parent.pages)
            chain = (version, *parent.chain)
    for i, name in enumerate(model.remove):
        if name not in entries:
            at(("remove", i), f"cannot remove '{name}': it is not inherited", f"remove[{i}]",
               "a name defined by the map this one extends")
        entries.pop(name, None)
        origin.pop(name, None)
    for name, entry in model.selectors.items():
        entries[name] = entry
        origin[name] = doc.file
    pages.update(model.pages)
    for name, entry in model.selectors.items():
        if entry.scope is not None and entry.scope not in entries:
            at(("selectors", name, "scope"), f"scope '{entry.scope}' is not a logical name "
               "of this map", f"selectors.{name}.scope", "a logical name defined in this map "
               "or the one it extends")
        elif entry.frame is None or entry.scope is not None:
            _chain_cycle(name, entries, at)
    _frame_problems(model, entries, at)
    for key, spec in model.pages.items():
        for i, name in enumerate(spec.setup):
            if name not in entries:
                at(("pages", key, "setup", i), f"setup clicks '{name}', which is not a "
                   "logical name of this map", f"pages.{key}.setup[{i}]",
                   "a logical name defined in this map or the one it extends")
    for i, removed in enumerate(model.remove):
        for user in _inherited_users(removed, entries, pages, model):
            at(("remove", i), f"cannot remove '{removed}': inherited {user} still uses it",
               f"remove[{i}]", f"'{removed}' kept, or {user} redefined in this map "
               "without it")
    if problems:
        problems.sort(key=lambda e: (e.line or 0, e.column or 0))  # in document order
        raise SelectorMapProblems(problems)
    return ResolvedMap(
        portal=model.portal, version=version, file=doc.file, chain=chain,
        detect=tuple(model.detect), pages=pages, entries=entries, origin=origin,
    )
