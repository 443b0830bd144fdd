"""Fields whose live values are the values another field held in the baseline.

Two columns of words that swapped (first and last name, city and state, specialty and
credential) under positional selectors are the drift no other check sees: every
selector finds an element, every field holds a value of the kind it held, the run
succeeds, and the outputs are wrong. Kinds cannot tell (:mod:`value_kinds`); where the
values went can.

Live data differ from the baseline's (patients come and go), so fields are never
compared as columns. Records are: a live record is matched to the baseline record that
holds most of its values, in whatever fields (a swap moves values between fields, never
out of the record), when those are at least half of its values and no other baseline
record holds as many. An id is one of those values, so a record is matched by identity
where the entity has an id, and still matched when the id field itself is one that
moved. Then, in each matched pair, each field's live value is looked for among the
baseline record's fields: in its own (it stayed), or in exactly one other (it moved
there; a value two fields share says nothing).

A field is reported when at least :data:`MIN_RECORDS` matched records place its value,
and at least :data:`MOVED_SHARE` of them place it in one and the same other field. A
live data set that shares few records with the baseline (another week, another practice)
has too few matched records to judge, and says nothing: no false alarm, no finding.

An output of fewer than :data:`MIN_RECORDS` live records (a detail page's one patient,
a search that found two) can never be counted that way, and one record alone cannot
tell a field read from the wrong element from data that changed: a patient whose
preferred name became her first name now holds, in one field, what another field held.
So there a move is reported only where the record itself proves it, in every matched
record that places the field (:func:`_proven_moves`): the fields exchanged their values
(a swap, a rotation: each holds the next one's baseline value, no longer its own; data
that changed do not go round in a circle, and at least one of the values is more than a
small number, so two counters that passed each other are not taken for it), or the value
is of another kind (:func:`~portwright_monitor.value_kinds.value_kind`) than the field's
own baseline value was and is another field's (the phone number read into ``email``:
the kind says it is wrong, the value says where it is read from).

Values are compared as the golden holds them (:mod:`golden_forms`: scrubbed with the
adapter's policy and the pseudonym key), and the result is field names and counts only.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from portwright.recording.scrub import ScrubPolicy
from portwright_monitor.golden_forms import comparable_values, golden_forms
from portwright_monitor.value_kinds import value_kind

__all__ = ["MIN_RECORDS", "MOVED_SHARE", "FieldMove", "matched_records", "moved_fields"]

#: matched records that must place a field's value before the field is judged
MIN_RECORDS = 3
#: the share of those that must place it in one other field
MOVED_SHARE = 0.8
#: a value held by more baseline records than this does not single a record out (a
#: state, a status); records are looked up by their rarer values
_IDENTIFYING = 5
#: digits a number needs to tell where it came from in one record: fewer (a count, a
#: rank, a small amount) recur across fields, and data that change may exchange them
_DISTINCT_DIGITS = 4


@dataclass(frozen=True)
class FieldMove:
    """``field`` now holds what ``now_holds`` held: in ``moved`` of the ``placed``
    matched records (whose value for the field was found in the baseline record), the
    value is the one ``now_holds`` had; in ``stayed`` it is the field's own."""

    field: str
    now_holds: str
    moved: int
    placed: int
    stayed: int
    #: for an output of too few records to count: what the records themselves prove
    #: (``exchanged``: the fields hold each other's baseline values; ``kind``: the value is
    #: of another kind than the field's own was); None when counted
    proof: str | None = None


def matched_records(live: Sequence[Mapping[str, frozenset[str]]],
                    baseline: Sequence[Mapping[str, str]]) -> list[tuple[int, int]]:
    """(live index, baseline index) of every live record matched to a baseline record
    (``live``: :func:`golden_forms`; ``baseline``: :func:`comparable_values` of each
    record). Also how a detail page's one record is known to be the baseline's
    (:mod:`portwright_monitor.lone_records`)."""
    holding: dict[str, set[int]] = {}
    for at, record in enumerate(baseline):
        for value in record.values():
            holding.setdefault(value, set()).add(at)
    values = [set(record.values()) for record in baseline]
    pairs = []
    for at, forms in enumerate(live):
        candidates = set().union(*(holding[form] for found in forms.values()
                                   for form in found
                                   if 0 < len(holding.get(form, ())) <= _IDENTIFYING))
        shared = Counter({b: sum(1 for found in forms.values() if found & values[b])
                          for b in candidates})
        ranked = shared.most_common(2)
        if not ranked:
            continue
        best, count = ranked[0]
        unique = len(ranked) == 1 or ranked[1][1] < count
        if unique and count >= 2 and count >= math.ceil(len(forms) / 2):
            pairs.append((at, best))
    return pairs


def _moves(live: Sequence[Mapping[str, frozenset[str]]], baseline: Sequence[Mapping[str, str]],
           known: set[str]) -> list[FieldMove]:
    """The fields of ``known`` (filled in the baseline) that matched records place,
    often enough and nearly always, in one other field (see the module docstring)."""
    stayed: Counter[str] = Counter()
    moved: dict[str, Counter[str]] = {}
    for at, base_at in matched_records(live, baseline):
        kept, went = _placed(live[at], baseline[base_at], known)
        stayed.update(kept)
        for field, other in went.items():
            moved.setdefault(field, Counter())[other] += 1
    found = []
    for field, to in sorted(moved.items()):
        other, count = to.most_common(1)[0]
        placed = stayed[field] + sum(to.values())
        if count >= MIN_RECORDS and count >= MOVED_SHARE * placed:
            found.append(FieldMove(field, other, count, placed, stayed[field]))
    return found


def _placed(forms: Mapping[str, frozenset[str]], before: Mapping[str, str], known: set[str]
            ) -> tuple[set[str], dict[str, str]]:
    """In one matched pair: the fields of ``known`` whose live value is their own
    baseline value, and field → the one other field whose baseline value it holds."""
    stayed, moved = set(), {}
    for field, found in forms.items():
        if field not in known:
            continue  # a field the baseline never filled: nothing to say where it was
        where = {other for other, value in before.items() if value in found}
        if field in where:
            stayed.add(field)
        elif len(where) == 1:
            moved[field] = where.pop()
    return stayed, moved


def _distinct(value: str) -> bool:
    """Whether ``value`` can tell, in one record, where it came from: words, or a number
    of :data:`_DISTINCT_DIGITS` digits or more (a date, an id, a phone number)."""
    return any(c.isalpha() for c in value) or \
        sum(c.isdigit() for c in value) >= _DISTINCT_DIGITS


def _exchanged(moved: Mapping[str, str], field: str, before: Mapping[str, str]) -> bool:
    """Whether ``field`` is in a cycle of ``moved`` (each field holds the next one's
    baseline value, the last the first's) one of whose values is :func:`_distinct`."""
    chain = [field]
    while (nxt := moved.get(chain[-1])) is not None and nxt not in chain:
        chain.append(nxt)
    return nxt == field and any(_distinct(before[f]) for f in chain)


def _proven_moves(live: Sequence[Mapping[str, frozenset[str]]],
                  baseline: Sequence[Mapping[str, str]],
                  values: Sequence[Mapping[str, str]], known: set[str]) -> list[FieldMove]:
    """The moves of an output too small to count (see the module docstring): a field is
    reported when every matched record that places its value places it in one and the
    same other field, and proves it there. ``values``: the live records' own values."""
    placed: Counter[str] = Counter()
    proven: dict[str, Counter[tuple[str, str]]] = {}
    for at, base_at in matched_records(live, baseline):
        before = baseline[base_at]
        stayed, moved = _placed(live[at], before, known)
        placed.update(stayed)
        for field, other in moved.items():
            placed[field] += 1
            was, now = value_kind(before.get(field)), value_kind(values[at][field])
            proof = "exchanged" if _exchanged(moved, field, before) else \
                "kind" if was is not None and now != was else None
            if proof is not None:
                proven.setdefault(field, Counter())[(other, proof)] += 1
    found = []
    for field, to in sorted(proven.items()):
        others = {other for other, _ in to}
        if len(others) == 1 and sum(to.values()) == placed[field]:
            proof = "exchanged" if any(p == "exchanged" for _, p in to) else "kind"
            found.append(FieldMove(field, others.pop(), placed[field], placed[field], 0,
                                   proof=proof))
    return found


def moved_fields(baseline: Mapping[str, Any], live: Mapping[str, Sequence[Mapping[str, Any]]],
                 policy: ScrubPolicy) -> dict[str, list[FieldMove]]:
    """Entity output → its fields whose live values are another field's baseline values
    (outputs with no records on either side are left out: nothing to judge by); an
    output of fewer than :data:`MIN_RECORDS` live records by what its records prove."""
    recorded = baseline.get("outputs") or {}
    out: dict[str, list[FieldMove]] = {}
    for name, records in live.items():
        before = recorded.get(name)
        if not records or not isinstance(before, list) or not before:
            continue
        kept = [r for r in before if isinstance(r, Mapping)]
        base = [dict(comparable_values(r)) for r in kept]
        known = {field for record in base for field in record}
        forms = golden_forms(policy, kept, records)
        moves = _moves(forms, base, known) if len(records) >= MIN_RECORDS else \
            _proven_moves(forms, base, [dict(comparable_values(r)) for r in records], known)
        if moves:
            out[name] = moves
    return out
