"""A canary flow's baseline: its committed recording, and what a live run is compared with.

Live data differ from a recording's by nature (other patients, another week), so values
are never compared. What the recording does prove is which fields the flow extracts: a
field that held a value in some recorded record and holds none in any live record (while
records did come back) means the selector behind it now finds an empty element, or the
portal stopped showing it. That is drift a run that "succeeded" would otherwise hide.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from portwright.exceptions import PortwrightError
from portwright.recording.layout import RecordingPaths, iter_recordings
from portwright.settings import Settings

__all__ = ["baseline_for", "emptied_fields", "filled_fields"]


def baseline_for(settings: Settings, portal: str, flow: str, inputs: Mapping[str, Any],
                 ui_version: str | None) -> RecordingPaths | None:
    """The recording of ``flow`` made with the same inputs, of ``ui_version`` if there is
    one, else of any UI version; None when there is none to compare with."""
    found = []
    for paths in iter_recordings(settings.path("recordings"), portal):
        if paths.flow != flow:
            continue
        try:
            same = paths.load_meta().inputs == dict(inputs) and \
                "error" not in paths.load_golden()
        except PortwrightError:
            continue  # a damaged recording is no baseline (`recordings list` names it)
        if same:
            found.append(paths)
    found.sort(key=lambda p: (p.ui_version != ui_version, p.ui_version, p.scenario))
    return found[0] if found else None


def _filled(record: Mapping[str, Any], prefix: str = "") -> Iterator[str]:
    for key, value in record.items():
        if isinstance(value, Mapping):
            yield from _filled(value, f"{prefix}{key}.")  # address.city, not address
        elif value not in (None, "", []):
            yield f"{prefix}{key}"


def filled_fields(records: Iterable[Mapping[str, Any]]) -> set[str]:
    """The fields (nested ones dotted: ``address.city``) that hold a value in at least one
    record."""
    return {name for record in records for name in _filled(record)}


def emptied_fields(baseline: Mapping[str, Any], live: Mapping[str, list[Mapping[str, Any]]]
                   ) -> dict[str, list[str]]:
    """Entity output → fields filled in the baseline and empty in every live record
    (outputs that came back with no records at all are left out: nothing to judge by)."""
    recorded = baseline.get("outputs") or {}
    out: dict[str, list[str]] = {}
    for name, records in live.items():
        before = recorded.get(name)
        if not records or not isinstance(before, list) or not before:
            continue
        gone = filled_fields(before) - filled_fields(records)
        if gone:
            out[name] = sorted(gone)
    return out
