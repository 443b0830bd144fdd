"""A detail page's one record, judged against the baseline record it is.

A list of records proves what a field should hold by numbers: a field filled in the
baseline and empty in *every* live record stopped being read. One record proves nothing
of the kind: a patient with no email, a claim not yet paid, is legitimately empty where
the baseline's was filled, and one value of another kind (a member id of digits where
the baseline's had letters) is just another patient's. What one record does prove, when
it is the baseline's own record, is that the same patient's page no longer shows what it
showed: a field that held a value in the baseline and is empty now, or holds a value of
another kind, is read from the wrong element, or from none.

The canary runs a flow with its baseline's inputs, but the same inputs do not always
open the same record: the recording's inputs were scrubbed (an MRN input is a
pseudonym), and a live portal other than the one recorded (production, not the sandbox)
holds other people under the same ids. So the record is recognised by its values, as
:mod:`portwright_monitor.moved_values` matches records (compared through the recorder's
scrubbing and pseudonyms: :mod:`portwright_monitor.golden_forms`): at least two of its
values, and at least half, are the baseline record's (a record with a single value, a
downloaded file known by its name, by that one). A record not recognised is not
compared: its fields say nothing, and the report says it was not compared.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from portwright.recording.scrub import ScrubPolicy
from portwright_monitor.golden_forms import comparable_values, golden_forms
from portwright_monitor.moved_values import matched_records

__all__ = ["LoneRecords", "lone_records"]


@dataclass
class LoneRecords:
    """How the outputs of a run that hold one live record are to be judged."""

    #: output → the one baseline record its live record is (judge against it alone)
    matched: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    #: outputs whose one live record is none of the baseline's (not to be judged)
    unmatched: set[str] = field(default_factory=set)

    def baseline(self, recorded: Mapping[str, Sequence[Mapping[str, Any]]]
                 ) -> dict[str, Any]:
        """A golden document to judge the live outputs by: ``recorded`` (output →
        baseline records) with each lone live record's output cut to its own record,
        and the outputs of unrecognised ones left out."""
        outputs: dict[str, Any] = {name: list(records) for name, records in recorded.items()
                                   if name not in self.unmatched}
        outputs.update({name: [record] for name, record in self.matched.items()})
        return {"outputs": outputs}


def lone_records(recorded: Mapping[str, Sequence[Mapping[str, Any]]],
                 live: Mapping[str, Sequence[Mapping[str, Any]]],
                 policy: ScrubPolicy) -> LoneRecords:
    """Every output holding exactly one live record, matched to its baseline record
    (``recorded``: output → baseline records; see the module docstring)."""
    out = LoneRecords()
    for name, records in live.items():
        before = recorded.get(name)
        if len(records) != 1 or not before:
            continue
        at = _same_record(golden_forms(policy, before, records)[0],
                          [dict(comparable_values(r)) for r in before])
        if at is None:
            out.unmatched.add(name)
        else:
            out.matched[name] = before[at]
    return out


def _same_record(forms: Mapping[str, frozenset[str]], baseline: Sequence[Mapping[str, str]]
                 ) -> int | None:
    """The index of the baseline record the live record (its :func:`golden_forms`) is.
    A record with one value to know it by (a downloaded file's name: its path and size
    are not kept) is the one baseline record holding that value."""
    if len(forms) == 1:
        [found] = forms.values()
        holders = [at for at, record in enumerate(baseline) if found & set(record.values())]
        return holders[0] if len(holders) == 1 else None
    pairs = matched_records([forms], baseline)
    return pairs[0][1] if pairs else None
