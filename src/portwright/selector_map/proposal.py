"""A proposed selector-map fix, from what ``selectors check`` saw on the live portal.

When a name is found only by a later strategy (``fallback``), the portal changed and the
map still works, one strategy late: every resolution pays for the dead one first, and a
second change would break it. The fix the check can stand behind is to put the strategy
that found the element first and keep the others after it, in their order. That is all
this proposes; a name nothing found (``missing``), found more than once (``ambiguous``) or
with a strategy the browser cannot parse (``invalid``) needs a person, and the proposal
says so rather than guessing.

The proposal is the map version's own file with only those entries' lines rewritten (one
line each, in the flow style the maps use), so ``diff`` shows the fix and nothing else:
every other line, comment and layout stays byte for byte. A name the version inherits
(``extends``) gets an entry of its own at the end of the version's ``selectors``: a copy
of the inherited one, reordered, since editing the parent would change every version
built on it. A frame written inline (``frame: [strategies]``, checked as ``<name>#frame``)
is reordered in its owner's ``frame``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from portwright.exceptions import SelectorMapError
from portwright.selector_map.check import NameCheck
from portwright.selector_map.loader import ResolvedMap
from portwright.selector_map.model import inline_frame_name

__all__ = ["MapProposal", "MapText", "propose_map_fix", "write_proposal"]


@dataclass
class MapProposal:
    """The proposed file's text, one line per change, and the names left to a person."""

    text: str
    changes: list[str] = field(default_factory=list)
    by_hand: list[str] = field(default_factory=list)


def _flow(value: Any) -> str:
    """``value`` as one line of flow-style YAML (strings double-quoted, JSON style)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _strategies(entry: Any) -> list[Any] | None:
    """The strategy list of an entry (list form or ``{strategies: ...}``); None for the
    one-strategy shorthand, which has nothing to reorder."""
    if isinstance(entry, list):
        return entry
    if isinstance(entry, dict) and isinstance(entry.get("strategies"), list):
        strategies: list[Any] = entry["strategies"]
        return strategies
    return None


def _inline_owner(smap: ResolvedMap, name: str) -> str | None:
    """The entry whose inline frame ``name`` is (``a#frame`` → ``a``), else None."""
    for owner, entry in smap.entries.items():
        if isinstance(entry.frame, list) and inline_frame_name(owner) == name:
            return owner
    return None


def _frame_strategies(entry: Any) -> list[Any] | None:
    """The inline frame's strategy list of an entry; None when it has none to reorder."""
    frame = entry.get("frame") if isinstance(entry, dict) else None
    return frame if isinstance(frame, list) else None


@dataclass
class MapText:
    """One map file: its lines, its parsed tree (with positions) and the plain data; what
    a proposal edits in place (the canary's strategy exchange edits it too)."""

    path: Path
    lines: list[str]
    tree: Any

    @classmethod
    def read(cls, path: Path) -> MapText:
        text = path.read_text(encoding="utf-8")
        tree = YAML().load(text)
        if not isinstance(tree, dict):
            raise SelectorMapError(f"{path}: not a selector map to propose a fix to")
        return cls(path, text.splitlines(keepends=True), tree)

    def entry(self, name: str) -> Any:
        """The plain data of entry ``name``."""
        return json.loads(json.dumps(self.tree["selectors"][name]))

    def _trimmed(self, start: int, end: int) -> int:
        """``end`` moved up past blank and comment lines (they belong to what follows),
        never above the line after ``start``."""
        while end > start + 1 and (not self.lines[end - 1].strip()
                                   or self.lines[end - 1].lstrip().startswith("#")):
            end -= 1
        return end

    def _end_of_selectors(self) -> int:
        """The index of the line after the ``selectors`` block (its last entry's last
        line, trailing blank lines and comments not included)."""
        tops = sorted(self.tree.lc.key(k)[0] for k in self.tree)
        start = self.tree.lc.key("selectors")[0]
        later = [line for line in tops if line > start]
        return self._trimmed(start, later[0] if later else len(self.lines))

    def _span(self, name: str) -> tuple[int, int, int]:
        """(first line, line after the last, column) of entry ``name``."""
        selectors = self.tree["selectors"]
        line, column = selectors.lc.key(name)
        keys = list(selectors)
        at = keys.index(name)
        end = selectors.lc.key(keys[at + 1])[0] if at + 1 < len(keys) \
            else self._end_of_selectors()
        return line, self._trimmed(line, end), column

    def replace(self, name: str, entry: Any) -> None:
        line, end, column = self._span(name)
        self.lines[line:end] = [f"{' ' * column}{name}: {_flow(entry)}\n"]
        self.tree = YAML().load(self.text)  # positions for the next change

    def append(self, name: str, entry: Any) -> None:
        if "selectors" not in self.tree:
            if self.lines and not self.lines[-1].endswith("\n"):
                self.lines[-1] += "\n"
            self.lines += ["selectors:\n", f"  {name}: {_flow(entry)}\n"]
            self.tree = YAML().load(self.text)
            return
        selectors = self.tree["selectors"]
        column = selectors.lc.key(next(iter(selectors)))[1] if selectors else 2
        end = self._end_of_selectors()
        self.lines.insert(end, f"{' ' * column}{name}: {_flow(entry)}\n")
        self.tree = YAML().load(self.text)

    @property
    def text(self) -> str:
        return "".join(self.lines)


def propose_map_fix(smap: ResolvedMap, checks: list[NameCheck]) -> MapProposal:
    """The map file of ``smap`` with every ``fallback`` name's found strategy first."""
    own = MapText.read(Path(smap.file))
    parents: dict[str, MapText] = {}
    fixes: dict[str, tuple[Any, bool]] = {}  # entry name → (fixed entry, inherited)
    proposal = MapProposal(text="")
    for check in checks:
        if check.verdict == "missing":
            proposal.by_hand.append(f"{check.name}: every strategy found nothing")
            continue
        if check.verdict == "invalid":
            proposal.by_hand.append(f"{check.name}: {check.strategy} is not a valid "
                                    f"selector: {check.detail}")
            continue
        if check.verdict == "ambiguous":
            proposal.by_hand.append(f"{check.name}: {check.strategy} found {check.count} "
                                    "elements where one is expected")
            continue
        if check.verdict != "fallback" or check.index is None:
            continue
        origin = smap.origin.get(check.name, smap.file)
        inherited = Path(origin) != own.path
        source = own if not inherited else parents.setdefault(origin,
                                                               MapText.read(Path(origin)))
        owner = _inline_owner(smap, check.name)
        key = owner or check.name
        entry = fixes[key][0] if key in fixes else source.entry(key)
        strategies = _frame_strategies(entry) if owner else _strategies(entry)
        if strategies is None or check.index >= len(strategies):
            proposal.by_hand.append(f"{check.name}: found by {check.strategy}, but its "
                                    "entry could not be reordered")
            continue
        strategies.insert(0, strategies.pop(check.index))
        fixes[key] = (entry, inherited)
        where = f" (now its own entry here; inherited from {Path(origin).name})" \
            if inherited else ""
        where = f" in the 'frame' of '{owner}'{where}" if owner else where
        proposal.changes.append(f"{check.name}: {check.strategy} (strategy "
                                f"{check.index + 1}, the one that found it) moved first{where}")
    for name, (entry, inherited) in fixes.items():
        if inherited:
            own.append(name, entry)
        else:
            own.replace(name, entry)
    proposal.text = own.text
    return proposal


def write_proposal(smap: ResolvedMap, checks: list[NameCheck], target: Path) -> list[str]:
    """Write the proposed fix of ``smap`` to ``target``; the lines that tell a person what
    it changes, how to compare it, and what it leaves to them."""
    proposal = propose_map_fix(smap, checks)
    target.write_text(proposal.text, encoding="utf-8")
    return [f"proposed fix of {smap.file}: {target} ({len(proposal.changes)} change(s); "
            f"compare: diff {smap.file} {target})",
            *(f"  proposed: {line}" for line in proposal.changes),
            *(f"  by hand: {line}" for line in proposal.by_hand)]
