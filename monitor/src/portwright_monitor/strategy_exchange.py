"""The map fix for fields whose values moved: each name gets the strategy that now finds
its data.

When first and last name swapped places, the strategy that found ``home.row.first``
(``td:nth-child(2)``) now finds the last names, and the one that found
``home.row.last`` the first names. The fix a run can stand behind is to exchange them:
``home.row.first`` gets ``td:nth-child(3)`` first, ``home.row.last`` gets
``td:nth-child(2)``; each keeps its other strategies after it, and drops the one it had
found (which reads the other field now). That holds for any cycle of moved fields (three
columns rotated); a field whose values moved while nothing took its place (a column
removed, the next one read twice) leaves no strategy to give its name, and is left to a
person, as is a field read through no logical name, or through a name whose resolutions
disagree on which strategy found it.

The edit is made on the proposal's text (:func:`portwright.selector_map.proposal
.propose_map_fix`, the fallbacks already moved first), the same way: only the changed
entries' lines rewritten, an inherited entry copied into the version's own file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from portwright.selector_map.check import NameCheck
from portwright.selector_map.loader import ResolvedMap

# The line-preserving editor of map files behind ``propose_map_fix``: not exported by
# portwright; a public ``MapText`` would let the monitor stop reaching for it.
from portwright.selector_map.proposal import MapText, propose_map_fix
from portwright_monitor.report import Finding

__all__ = ["Exchange", "ExchangePlan", "plan_exchanges", "write_map_fix"]


@dataclass(frozen=True)
class Exchange:
    """``name`` (read by ``field``) gets ``donor``'s strategy ``donor_index`` first and
    drops its own strategy ``own_index``: the one found ``field``'s data, the other now
    reads another field's."""

    name: str
    field: str
    donor: str
    donor_index: int
    gets: str
    own_index: int
    drops: str


@dataclass
class ExchangePlan:
    """The exchanges proposed, and the moved fields left to a person (one line each)."""

    exchanges: list[Exchange] = field(default_factory=list)
    by_hand: list[str] = field(default_factory=list)


def _cycle(moves: dict[str, Finding], start: str) -> list[str] | None:
    """The fields of the cycle ``start`` is in (each holds the next one's values, the last
    the first's); None when the chain ends at a field whose values nothing holds."""
    chain = [start]
    while True:
        held = moves[chain[-1]].now_holds
        if held == start:
            return chain
        if held is None or held not in moves or held in chain:
            return None
        chain.append(held)


def _unfit(moves: dict[str, Finding], cycle: list[str]) -> str | None:
    """Why the cycle cannot be proposed; None when it can."""
    readers = [moves[f].reads for f in cycle]
    if any(r is None for r in readers):
        return "one of them is read through no logical name"
    if len(set(readers)) < len(readers):
        return "they are read through one logical name"
    if any(moves[f].strategy_index is None for f in cycle):
        return "which strategy found one of their names is not known"
    if len({moves[f].map_version for f in cycle}) > 1:
        return "their names were found in different map versions"
    return None


def plan_exchanges(findings: Sequence[Finding]) -> ExchangePlan:
    """The exchanges the ``field_values_moved`` findings of one map version call for."""
    moves = {f.subject: f for f in findings
             if f.kind == "field_values_moved" and f.subject and f.now_holds}
    plan = ExchangePlan()
    planned: set[str] = set()
    for start in sorted(moves):
        if start in planned:
            continue
        finding = moves[start]
        cycle = _cycle(moves, start)
        if cycle is None:
            plan.by_hand.append(f"{finding.reads or start}: {start} holds what "
                                f"{finding.now_holds} held, and no field holds what "
                                f"{start} held: no strategy to give it; not proposed")
            continue
        why = _unfit(moves, cycle)
        if why is not None:
            plan.by_hand.append(f"{', '.join(cycle)}: their values moved, but {why}; "
                                "not proposed")
            planned.update(cycle)
            continue
        for holder in cycle:
            # the holder's strategy finds the data of the field it holds: that field's
            # name gets it (``_unfit`` saw every name and index known)
            donor = moves[holder]
            data_of = moves[str(donor.now_holds)]
            plan.exchanges.append(Exchange(
                name=str(data_of.reads), field=str(data_of.subject), donor=str(donor.reads),
                donor_index=donor.strategy_index or 0, gets=str(donor.strategy),
                own_index=data_of.strategy_index or 0, drops=str(data_of.strategy)))
        planned.update(cycle)
    plan.exchanges.sort(key=lambda x: x.name)
    return plan


def _strategies(entry: Any) -> list[Any]:
    """An entry's strategies, whichever of the three forms it is written in."""
    if isinstance(entry, list):
        return list(entry)
    if isinstance(entry, dict) and isinstance(entry.get("strategies"), list):
        return list(entry["strategies"])
    return [entry]  # one strategy, written alone


def _with_strategies(entry: Any, strategies: list[Any]) -> Any:
    """``entry`` with ``strategies``, in its own form where that can hold them."""
    if isinstance(entry, dict) and "strategies" in entry:
        return {**entry, "strategies": strategies}
    if not isinstance(entry, list) and len(strategies) == 1:
        return strategies[0]
    return strategies


def _exchanged(smap: ResolvedMap, text: str, exchanges: list[Exchange]
               ) -> tuple[str, list[str], list[str]]:
    """``text`` (the map version's file, as proposed so far) with the exchanges made;
    the lines saying what changed, and what could not be."""
    own = MapText(Path(smap.file), text.splitlines(keepends=True), YAML().load(text))
    parents: dict[str, MapText] = {}

    def entry(name: str) -> tuple[Any, bool]:
        """The plain entry of ``name`` and whether the version inherits it."""
        if name in (own.tree.get("selectors") or {}):
            return own.entry(name), False
        origin = smap.origin.get(name, smap.file)
        if origin not in parents:
            parents[origin] = MapText.read(Path(origin))
        return parents[origin].entry(name), True

    found = {name: entry(name) for x in exchanges for name in (x.name, x.donor)}
    changes, by_hand = [], []
    fixed: list[tuple[str, Any, bool]] = []
    for x in exchanges:
        donated, own_strategies = _strategies(found[x.donor][0]), _strategies(found[x.name][0])
        if x.donor_index >= len(donated) or x.own_index >= len(own_strategies):
            by_hand.append(f"{x.name}: should read {x.field} with {x.gets}, but the map's "
                           "entries are not the ones the run used; not proposed")
            continue
        kept = [s for at, s in enumerate(own_strategies) if at != x.own_index]
        original, inherited = found[x.name]
        fixed.append((x.name, _with_strategies(original, [donated[x.donor_index], *kept]),
                      inherited))
        where = " (now its own entry here)" if inherited else ""
        changes.append(f"{x.name}: {x.gets} first (it found {x.donor}, and finds the "
                       f"values {x.field} had); {x.drops} dropped (it finds another "
                       f"field's now){where}")
    for name, fixed_entry, inherited in fixed:
        if inherited:
            own.append(name, fixed_entry)
        else:
            own.replace(name, fixed_entry)
    return own.text, changes, by_hand


def write_map_fix(smap: ResolvedMap, checks: list[NameCheck], plan: ExchangePlan,
                  target: Path) -> list[str]:
    """Write the proposed fix of ``smap`` (the fallbacks of ``checks`` moved first, the
    exchanges of ``plan`` made) to ``target``; the lines that tell a person what it
    changes, how to compare it, and what it leaves to them."""
    proposal = propose_map_fix(smap, checks)
    text, exchanged, failed = _exchanged(smap, proposal.text, plan.exchanges)
    target.write_text(text, encoding="utf-8")
    changes = [*proposal.changes, *exchanged]
    return [f"proposed fix of {smap.file}: {target} ({len(changes)} change(s); "
            f"compare: diff {smap.file} {target})",
            *(f"  proposed: {line}" for line in changes),
            *(f"  by hand: {line}" for line in [*proposal.by_hand, *plan.by_hand, *failed])]
