"""A canary flow's baseline: its committed recording, and what a live run is compared with.

Live data differ from a recording's by nature (other patients, another week), so fields
are never compared as columns of values (:mod:`portwright_monitor.moved_values` compares
the records both hold). What the recording does prove is which fields the flow extracts: a
field that held a value in some recorded record and holds none in any live record (while
records did come back) means the selector behind it now finds an empty element, or the
portal stopped showing it. That is drift a run that "succeeded" would otherwise hide.

An output is records either way a flow gives it: a list of records (a list page), or
one record (a detail page's ``extract`` without ``rows``, a mapping) which is a list of
one here. A single live record is judged only against the baseline record it is
(:mod:`portwright_monitor.lone_records`).

A recording's inputs were scrubbed before it was committed (a member id or a name typed
into a search became its pseudonym), so the live inputs are compared as the recorder
would have written them (:func:`portwright_monitor.golden_forms.recorded_inputs`), as
well as they are (a recording made by hand); a search's input the recorder learned from
the outputs, also when the run gave none (it failed first), as the recording's golden
shows it (:func:`portwright_monitor.golden_forms.recorded_from_golden`). When no
recording is the baseline, the lookup says why: none of the flow, or none with these
inputs (naming the recordings there are, never an input's value).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from portwright.exceptions import PortwrightError
from portwright.recording.layout import RecordingPaths, iter_recordings
from portwright.selector_map.loader import version_key
from portwright.settings import Settings
from portwright_monitor.golden_forms import (
    recorded_from_golden,
    recorded_inputs,
    scrub_policy_of,
)

__all__ = ["BaselineLookup", "baseline_for", "emptied_fields", "extract_fields",
           "filled_fields", "find_baseline", "records_of", "unoffered_fields"]


def records_of(outputs: Mapping[str, Any]) -> dict[str, list[Mapping[str, Any]]]:
    """Output → its records: a list of records as it is, one record (a mapping) as a
    list of one; outputs of anything else (a count, a list of strings) are left out."""
    out: dict[str, list[Mapping[str, Any]]] = {}
    for name, value in outputs.items():
        if isinstance(value, Mapping):
            out[name] = [value]
        elif isinstance(value, list) and all(isinstance(v, Mapping) for v in value):
            out[name] = list(value)
    return out


@dataclass(frozen=True)
class BaselineLookup:
    """The baseline recording found, or (``found`` None) why there is none: a line for a
    person, naming recordings (``2026.1/one-patient``), never an input's value."""

    found: RecordingPaths | None
    why_none: str | None = None


def find_baseline(settings: Settings, portal: str, flow: str, inputs: Mapping[str, Any],
                  ui_version: str | None, outputs: Mapping[str, Any] | None = None
                  ) -> BaselineLookup:
    """The recording of ``flow`` made with the same inputs, of ``ui_version`` if there is
    one, else of the newest UI version recorded (the one a page of another, or of no
    known, version moved on from). The same inputs: as given, or as the recorder scrubbed
    them (the portal's adapter's scrub policy, the same pseudonym key), having learned
    from the run's ``outputs`` (``{"outputs": ...}``, when the run gave any) as it learned
    from the golden it wrote; or, what only those outputs would have told (a name or an
    MRN typed into a search, a run that failed before any output), as the recording's
    golden shows the recorder learned it
    (:func:`~portwright_monitor.golden_forms.recorded_from_golden`)."""
    live = dict(inputs)
    policy = scrub_policy_of(portal)
    scrubbed = recorded_inputs(policy, live, outputs) if live else live
    found, others, unusable = [], [], []
    for paths in iter_recordings(settings.path("recordings"), portal):
        if paths.flow != flow:
            continue
        name = f"{paths.ui_version}/{paths.scenario}"
        try:
            recorded, golden = paths.load_meta().inputs, paths.load_golden()
            same = recorded in (live, scrubbed) or \
                recorded_from_golden(policy, live, recorded, golden, scrubbed)
            usable = "error" not in golden
        except PortwrightError:
            unusable.append(f"{name} (damaged)")  # `recordings list` names what is wrong
            continue
        if not same:
            others.append(name)
        elif not usable:
            unusable.append(f"{name} (recorded an error)")
        else:
            found.append(paths)
    found.sort(key=lambda p: p.scenario)
    found.sort(key=lambda p: version_key(p.ui_version), reverse=True)
    found.sort(key=lambda p: p.ui_version != ui_version)
    if found:
        return BaselineLookup(found[0])
    if not others and not unusable:
        return BaselineLookup(None, f"no recording of {flow}")
    why = f"none of the recordings of {flow} ({', '.join(sorted(others))}) has these " \
        "inputs" if others else f"no usable recording of {flow}"
    if unusable:
        why += f"; not usable: {', '.join(sorted(unusable))}"
    return BaselineLookup(None, why)


def baseline_for(settings: Settings, portal: str, flow: str, inputs: Mapping[str, Any],
                 ui_version: str | None, outputs: Mapping[str, Any] | None = None
                 ) -> RecordingPaths | None:
    """The baseline recording :func:`find_baseline` finds; None when there is none."""
    return find_baseline(settings, portal, flow, inputs, ui_version, outputs).found


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


def emptied_fields(baseline: Mapping[str, Any], live: Mapping[str, list[Mapping[str, Any]]],
                   unoffered: Collection[str] = ()) -> dict[str, list[str]]:
    """Entity output → fields filled in the baseline and empty in every live record
    (outputs that came back with no records at all are left out: nothing to judge by).

    ``unoffered``: fields the map the live run used has no selector for (``2026.1``
    removes ``providers.row.email``). Against a baseline recorded on another UI version
    their emptiness is the upgrade, not drift, so they are not counted (a nested field
    counts as its top-level one: ``address`` covers ``address.city``)."""
    recorded = records_of(baseline.get("outputs") or {})
    out: dict[str, list[str]] = {}
    for name, records in live.items():
        before = recorded.get(name)
        if not records or not before:
            continue
        gone = {field for field in filled_fields(before) - filled_fields(records)
                if field not in unoffered and field.split(".", 1)[0] not in unoffered}
        if gone:
            out[name] = sorted(gone)
    return out


def extract_fields(node: Any) -> Iterator[tuple[str, str | None]]:
    """(field, logical name it reads) of every extract step in a flow's dumped steps."""
    if isinstance(node, list):
        for item in node:
            yield from extract_fields(item)
    elif isinstance(node, Mapping):
        if node.get("action") == "extract" and isinstance(node.get("fields"), Mapping):
            for field, spec in node["fields"].items():
                target = spec.get("target") if isinstance(spec, Mapping) else spec
                yield str(field), target if isinstance(target, str) else None
        for value in node.values():
            if isinstance(value, list | Mapping):
                yield from extract_fields(value)


def unoffered_fields(steps: Any, offered: Collection[str]) -> set[str]:
    """Fields every extract of the flow (``steps`` dumped as JSON) reads through a name
    that ``offered`` (a selector map's names) lacks: a field some extract reads from an
    offered name, or from the row itself (an attribute), stays in."""
    readable: dict[str, bool] = {}
    for field, target in extract_fields(steps):
        readable[field] = readable.get(field, False) or target is None or target in offered
    return {field for field, ok in readable.items() if not ok}
