"""Running canary flows against the live portal and turning each run into findings.

Each flow runs as a user would run it (the engine, the account's saved session or its
login), with every resolution counted afresh (``resolution_reuse_s = 0``): a name found by
a fallback is drift even when the run succeeds. The run's own result says which names
took a fallback, which UI version the portal showed, and what came back; the committed
recording of the flow (same inputs) says which fields should hold values, and of what
kind (:mod:`portwright_monitor.value_kinds`: a column that moved reads wrong values
without failing), and which field each value was in (:mod:`portwright_monitor.moved_values`:
two columns of words that swapped keep their kinds, not their places).

A strategy the browser cannot parse (``SelectorInvalid``, or an ``invalid`` resolution in
a run that went on) is a ``failed`` finding of kind ``invalid``: the map is broken, the
flow cannot act on that name whatever the portal shows; no drift, no fallback to propose.

A page no selector map matches is a UI release no map describes: ``ui_version_unknown``
(:mod:`portwright_monitor.unknown_ui_version`), with the detect rules tried and what the
page showed them, not a ``run_failed`` of the flow.

A detail page's one record is judged against the baseline record it is, and only when it
is that record (:mod:`portwright_monitor.lone_records`): one other patient's empty email
is no drift. Values that moved between its fields are reported only where the record
proves it (:mod:`portwright_monitor.moved_values`: the fields exchanged their values, or
one holds another's value of another kind than its own).

A run that fails still says what it had found (``partial_result`` of its error: the
fallbacks of the steps before, the UI version, the map): exactly the drift the canary
exists to report, and the map fix it can propose. It travels with that run's error, so
canaries sharing one engine, even running at once, each see their own run's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from portwright.exceptions import (
    CredentialError,
    EntityInvalid,
    PortwrightError,
    SelectorError,
    SelectorInvalid,
    UnknownUIVersion,
)
from portwright.recording.golden import golden_from_outputs
from portwright.recording.layout import RecordingPaths
from portwright.runner.engine import Engine
from portwright.runner.result import ResolutionRecord, partial_result
from portwright.shown_url import shown_url
from portwright_monitor.baseline import (
    emptied_fields,
    extract_fields,
    find_baseline,
    records_of,
    unoffered_fields,
)
from portwright_monitor.golden_forms import scrub_policy_of
from portwright_monitor.lone_records import lone_records
from portwright_monitor.moved_values import FieldMove, moved_fields
from portwright_monitor.report import CanaryReport, Finding, FlowCheck
from portwright_monitor.unknown_ui_version import unknown_ui_version_finding
from portwright_monitor.value_kinds import changed_kinds

__all__ = ["run_canary"]


#: a URL in an error's text, up to the quote or space that ends it
_URL = re.compile(r"https?://[^\s'\"<>]+")


def _first_line(error: PortwrightError) -> str:
    """The error's first line, every URL in it cut before its query: not every error is
    worded by the engine (a page no map matches is quoted with its URL as the browser
    has it), and a query may hold PHI (``?mrn=``) the report must never carry."""
    line = str(error.message).splitlines()[0]
    return _URL.sub(lambda found: shown_url(found.group(0)), line)


def _resolution_findings(flow: str, resolutions: Sequence[ResolutionRecord],
                         map_version: str | None, skip: str | None = None) -> list[Finding]:
    """One finding per name a fallback found (or that was missing, ambiguous or invalid),
    once; an invalid name is reported as such even when it was found before. ``skip``: the
    name a failed run's own finding already reports."""
    seen: set[str] = {skip} if skip else set()
    found = []
    invalid = [r for r in resolutions if r.outcome == "invalid"]
    for r in [*invalid, *resolutions]:
        if r.outcome not in ("fallback", "missing", "ambiguous", "invalid") or r.name in seen:
            continue
        seen.add(r.name)
        detail = {"fallback": f"found only by strategy {(r.index or 0) + 1}, {r.strategy}",
                  "missing": "no strategy found it",
                  "ambiguous": f"{r.strategy} found {r.count} elements",
                  "invalid": f"strategy {(r.index or 0) + 1}, {r.strategy}, is not a valid "
                  "selector"}[r.outcome]
        found.append(Finding(severity="failed" if r.outcome == "invalid" else "drift",
                             kind=r.outcome, flow=flow, subject=r.name,
                             detail=f"{detail} (map {map_version}, page "
                             f"{shown_url(r.url)})",
                             strategy=r.strategy, strategy_index=r.index,
                             map_version=map_version))
    return found


async def _check(engine: Engine, portal: str, flow: str, inputs: Mapping[str, Any],
                 account: str | None, portal_url: str) -> FlowCheck:
    try:
        result = await engine.run(flow, dict(inputs), portal_url=portal_url, account=account)
    except CredentialError as error:
        return FlowCheck(flow=flow, account=account, ran=False, findings=[Finding(
            severity="failed", kind="not_run", flow=flow,
            detail=f"no credentials: {_first_line(error)}")])
    except PortwrightError as error:
        named = error.name if isinstance(error, SelectorError) else None
        step = getattr(error, "step", None)
        artifacts = [str(p) for p in getattr(error, "artifacts", [])]
        detail = f"{type(error).__name__}" + (f" at step {step}" if step else "") \
            + f": {_first_line(error)}"
        # what the run found before it failed: fallbacks to propose, the UI it saw
        partial = partial_result(error)
        map_version = partial.selector_map_version if partial else None
        if isinstance(error, UnknownUIVersion):
            finding: Finding | None = None   # needs the baseline: made below
        elif isinstance(error, SelectorInvalid):
            finding = Finding(severity="failed", kind="invalid", flow=flow, subject=named,
                              detail=detail, strategy=error.strategy,
                              strategy_index=error.index, map_version=error.map_version)
        elif isinstance(error, SelectorError):
            finding = Finding(severity="failed", kind="run_failed", flow=flow,
                              subject=named, detail=detail,
                              strategy="; ".join(error.strategies) or None,
                              map_version=error.map_version or map_version)
        elif isinstance(error, EntityInvalid) and error.fields:
            finding = _invalid_entity_finding(engine, flow, error, detail, map_version)
        else:
            target = _step_target(engine, getattr(error, "flow", None) or flow, step)
            finding = Finding(severity="failed", kind="run_failed", flow=flow,
                              subject=target, detail=detail,
                              map_version=map_version if target else None)
        check = FlowCheck(flow=flow, account=account, ran=True, artifacts=artifacts,
                          ui_version=partial.portal_version if partial else None,
                          selector_map_version=map_version,
                          findings=_resolution_findings(
                              flow, partial.resolutions if partial else [], map_version,
                              skip=named))
        recording = _note_baseline(engine, portal, flow, inputs, check)
        if finding is None:
            assert isinstance(error, UnknownUIVersion)   # the one case left without one
            finding = unknown_ui_version_finding(flow, error, engine.selector_maps(portal),
                                                 recording)
        check.findings.insert(0, finding)
        return check
    # as the recorder would have written them (a saved file's path and size are not
    # kept), so each value compares with the golden's
    payload = golden_from_outputs(
        json.loads(result.model_dump_json(by_alias=True))["outputs"])["outputs"]
    live = records_of(payload)
    check = FlowCheck(flow=flow, account=account, ran=True, ms=result.ms,
                      ui_version=result.portal_version,
                      selector_map_version=result.selector_map_version,
                      records={name: len(records) for name, records in live.items()},
                      findings=_resolution_findings(flow, result.resolutions,
                                                    result.selector_map_version))
    baseline = _note_baseline(engine, portal, flow, inputs, check, {"outputs": payload})
    if baseline is None:
        return check
    unoffered = _unoffered(engine, portal, flow, result.selector_map_version) \
        if baseline.ui_version != result.portal_version else set()
    recorded = records_of(baseline.load_golden().get("outputs") or {})
    policy = scrub_policy_of(portal)
    lone = lone_records(recorded, live, policy)
    judged = lone.baseline(recorded)
    emptied = emptied_fields(judged, live, unoffered)
    changed = changed_kinds(judged, live)
    moved = moved_fields({"outputs": recorded}, live, policy)
    readers = _readers(engine, flow) if emptied or changed or moved else {}

    def reader(field: str, *, by_leaf: bool = False) -> str | None:
        """The name ``field`` is read through: by its top-level name (``email``), else
        (``by_leaf``) by its leaf (an entity's ``contact.email`` is the chart's
        ``email``): a hint for a person, never for the strategies a proposal exchanges."""
        found = readers.get(_plain(field.split(".", 1)[0]))
        return found or (readers.get(_plain(field.rsplit(".", 1)[-1])) if by_leaf else None)

    for name in sorted(lone.unmatched):
        check.findings.append(Finding(
            severity="info", kind="record_unmatched", flow=flow, subject=name,
            detail=f"the one live {name} record is not the baseline's ({check.baseline}): "
            "the same inputs opened another record (another patient, another portal), so "
            "its fields were not compared"))
    for name, fields in emptied.items():
        for name_of_field in fields:
            where = f"empty in the live record, the baseline's own ({check.baseline}), " \
                "which had a value" if name in lone.matched else \
                f"empty in all {len(live[name])} live records; the baseline " \
                f"({check.baseline}) had values"
            check.findings.append(Finding(
                severity="drift", kind="field_emptied", flow=flow,
                subject=f"{name}.{name_of_field}", detail=where,
                reads=reader(name_of_field, by_leaf=True),
                map_version=result.selector_map_version))
    for name, kinds in changed.items():
        for name_of_field, (was, now) in kinds.items():
            reads = reader(name_of_field, by_leaf=True)
            through = f"read through {reads}, " if reads else ""
            what = f"the live value is {' or '.join(now)}; in the same record of the " \
                "baseline" if name in lone.matched else \
                f"every live value is {' or '.join(now)}; in the baseline"
            check.findings.append(Finding(
                severity="drift", kind="field_kind_changed", flow=flow,
                subject=f"{name}.{name_of_field}",
                detail=f"{what} ({check.baseline}) it was {' or '.join(was)}: a column "
                f"moved, or its selector reads another element ({through}map "
                f"{result.selector_map_version}); the values read are wrong",
                reads=reads, map_version=result.selector_map_version))
    for name, moves in moved.items():
        for move in moves:
            check.findings.append(_moved_finding(
                flow, name, move, reader(move.field), reader(move.now_holds),
                result.resolutions, check.baseline, result.selector_map_version))
    return check


def _found_by(resolutions: Sequence[ResolutionRecord], name: str
              ) -> tuple[str | None, int | None]:
    """(strategy, index) that found ``name`` in the run: the one every resolution of it
    agrees on; (None, None) when none found it or they differ."""
    found = {(r.strategy, r.index) for r in resolutions
             if r.name == name and r.outcome in ("primary", "fallback")}
    return found.pop() if len(found) == 1 else (None, None)


def _moved_finding(flow: str, output: str, move: FieldMove, reads: str | None,
                   other_reads: str | None, resolutions: Sequence[ResolutionRecord],
                   baseline: str | None, map_version: str | None) -> Finding:
    """The ``field_values_moved`` finding of ``move``: names and counts, no values.
    Its ``strategy`` is the one that found the element the field was read from, which
    the proposal gives to the name that should read it."""
    strategy, index = _found_by(resolutions, reads) if reads else (None, None)
    held = f"{output}.{move.now_holds}"
    now = f"{reads} (map {map_version}) now finds" if reads else "its element now holds"
    theirs = f"what {other_reads} found" if other_reads else f"{held}'s values"
    if move.proof is None:
        evidence = f"in {move.moved} of the {move.placed} live records matched to " \
            f"baseline records it has {held}'s value, in {move.stayed} its own"
    else:
        # too few records to count: what each of them proves (names, never values)
        records = "the live record, the baseline's own," if move.placed == 1 else \
            f"each of the {move.placed} live records matched to baseline records"
        proof = "and the fields hold each other's baseline values (an exchange, not " \
            "data that changed)" if move.proof == "exchanged" else \
            f"a value of another kind than {output}.{move.field}'s own was"
        evidence = f"{records} has {held}'s value in it, no longer its own, {proof}"
    return Finding(
        severity="drift", kind="field_values_moved", flow=flow,
        subject=f"{output}.{move.field}", now_holds=held,
        detail=f"holds what {held} held in the baseline ({baseline}): {evidence}; {now} "
        f"{theirs}, and the values read are wrong",
        reads=reads, strategy=strategy, strategy_index=index, map_version=map_version)


def _invalid_entity_finding(engine: Engine, flow: str, error: EntityInvalid, detail: str,
                            map_version: str | None) -> Finding:
    """A record the run could not turn into its entity, named by its first failed field
    and the logical name that field is read through: a selector now reading another
    element (a birth date reading the MRN's) fails validation before any output exists,
    and "run failed at emit" would leave a person to find which name from the message."""
    field = error.fields[0]
    readers = _readers(engine, getattr(error, "flow", None) or flow)
    reads = readers.get(_plain(field.split(".", 1)[0])) \
        or readers.get(_plain(field.rsplit(".", 1)[-1]))
    return Finding(severity="failed", kind="run_failed", flow=flow,
                   subject=f"{error.entity}.{field}", detail=detail, reads=reads,
                   map_version=map_version if reads else None)


def _step_target(engine: Engine, flow: str, title: str | None) -> str | None:
    """The one logical name the step called ``title`` acts on (a click's target), so a
    step that failed on the element it found (a dialog covers it, it never enables) is
    reported by name; None for a step of several names, or none, or not found."""
    if title is None:
        return None
    try:
        pending = list(engine.flows.get(flow).steps)
    except PortwrightError:
        return None
    while pending:
        step = pending.pop()
        if step.title == title:
            names = set(step.selector_names())
            return names.pop() if len(names) == 1 else None
        pending.extend(child for _, children in step.children() for child in children)
    return None


def _plain(field: str) -> str:
    """A field name as extract and entity both spell it (``taxonomy_code`` is the
    entity's ``taxonomyCode``)."""
    return field.replace("_", "").lower()


def _readers(engine: Engine, flow: str) -> dict[str, str]:
    """Field (:func:`_plain`) → the logical name its extract reads, where one does: in
    the flow's own extracts, else in those of the flows it calls (a detail page read by
    a building block, ``valant.patients.chart``), where one name alone reads it."""
    steps = engine.flows.get(flow).model_dump(mode="json", by_alias=True)["steps"]
    own = {_plain(field): target for field, target in extract_fields(steps) if target}
    called: dict[str, set[str]] = {}
    seen = {flow}
    pending = list(_called_flows(steps))
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            their = engine.flows.get(name).model_dump(mode="json", by_alias=True)["steps"]
        except PortwrightError:
            continue  # a templated or unknown flow name: nothing to learn from it
        for field, target in extract_fields(their):
            if target:
                called.setdefault(_plain(field), set()).add(target)
        pending.extend(_called_flows(their))
    return {**{field: next(iter(targets)) for field, targets in called.items()
               if len(targets) == 1}, **own}


def _called_flows(node: Any) -> Iterator[str]:
    """The names of the flows a flow's dumped steps call."""
    if isinstance(node, list):
        for item in node:
            yield from _called_flows(item)
    elif isinstance(node, Mapping):
        if node.get("action") == "call" and isinstance(node.get("flow"), str):
            yield node["flow"]
        for value in node.values():
            if isinstance(value, list | Mapping):
                yield from _called_flows(value)


def _unoffered(engine: Engine, portal: str, flow: str, map_version: str | None) -> set[str]:
    """The flow's fields the map the run used has no selector for (none if unknown)."""
    maps = engine.selector_maps(portal)
    if map_version is None or map_version not in maps:
        return set()
    steps = engine.flows.get(flow).model_dump(mode="json", by_alias=True)["steps"]
    return unoffered_fields(steps, set(maps[map_version].entries))


def _note_baseline(engine: Engine, portal: str, flow: str, inputs: Mapping[str, Any],
                   check: FlowCheck, outputs: Mapping[str, Any] | None = None
                   ) -> RecordingPaths | None:
    """The run's baseline recording, named in ``check`` (with a note when it is of
    another UI version than the portal showed), or why there is none. ``outputs``: the
    run's golden, which tells the recorder's pseudonym of a name typed into a search."""
    lookup = find_baseline(engine.settings, portal, flow, inputs, check.ui_version, outputs)
    baseline = lookup.found
    if baseline is None:
        check.baseline_missing = lookup.why_none
        return None
    check.baseline = f"{baseline.ui_version}/{baseline.scenario}"
    if check.ui_version is not None and baseline.ui_version != check.ui_version:
        check.findings.append(Finding(
            severity="info", kind="ui_version_changed", flow=flow,
            detail=f"the portal shows UI {check.ui_version}; the baseline was recorded "
            f"on {baseline.ui_version}"))
    return baseline


async def run_canary(engine: Engine, portal: str, portal_url: str, flows: Sequence[str],
                     *, account: str | None = None,
                     inputs: Mapping[str, Mapping[str, Any]] | None = None) -> CanaryReport:
    """Run each of ``flows`` live, one after another, and report what each showed."""
    started = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    checks = [await _check(engine, portal, flow, (inputs or {}).get(flow, {}), account,
                           portal_url)
              for flow in flows]
    return CanaryReport(portal=portal, checked_at=started, flows=checks)
