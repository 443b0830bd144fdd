"""``portwright recordings audit``: prove that committed recordings hold no secret or PHI.

Scrubbing is the guard; the audit is the check on the guard. It reads every file under
the recordings folder and reports, with file, line and column:

* pattern hits: auth headers and tokens that are not placeholders, ``otpauth://`` URIs,
  JWTs, private keys, provider account ids, password fields with a value, emails outside
  the pseudonym and allowed domains, phone numbers outside the pseudonyms' 555 area code,
  SSN-shaped numbers outside the never-issued ``000`` area;
* planted values: what the adapter's sandbox is known to hold (seeded patient names,
  MRNs, phones, account passwords, TOTP seeds), in any notation (URL, form, HTML and JSON
  escapes, any case: ``planted_match``); seeded dates of birth in every date notation
  (``2019-03-07``, ``03/07/2019``, ``3/7/2019``, ``Mar 7, 2019``, X12 ``20190307``),
  which no date pseudonym can equal (``Pseudonymizer.fake_day`` avoids them);
* either of those inside a base64-of-JSON token (a paging cursor, a state parameter) or
  plain base64 of text (a header value, a body: ``audit_scan``), decoded first, inside
  HAR bodies stored as base64 (decompressed, ZIPs opened) or as compressed text, and in
  YAML values as parsed (``audit_containers``);
* content hashes in ``meta.json`` that no longer match (a file edited after scrubbing;
  CRLF line endings and a byte-order mark are no edit), a recorded file it has no hash
  for, and a ``meta.json`` that does not describe a recording (an unknown field);
* damaged folders: no ``meta.json``, a ``meta.json`` of another flow, an empty scenario
  folder, a file left with git conflict markers.

Findings show a masked preview, never the value itself: the audit's own output must not
leak what it found.

An adapter that plants no PHI value (only its sign-in secrets, as a new adapter does)
leaves the audit its patterns alone: a real name or birth date has no shape to find it by.
The audit then warns (:func:`planted_phi_warning`) and its verdict says what was searched
(:func:`audit_passed_line`), never "no secret or PHI found".
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import ValidationError

from portwright.entities.validation import field_problems
from portwright.exceptions import RecordingError
from portwright.recording.audit_containers import audit_har_bodies, audit_yaml_values
from portwright.recording.audit_scan import PATTERN_RULES, Finding, audit_text, findings_at
from portwright.recording.hooks import PlantedValue, plants_phi
from portwright.recording.json_file import conflict_marker_line, read_json_object, without_bom
from portwright.recording.layout import (
    CASSETTE_NAME,
    GOLDEN_NAME,
    HAR_NAME,
    META_NAME,
    RecordingMeta,
    content_matches,
    misplacement,
)
from portwright.recording.scrub.policy import ScrubPolicy

__all__ = ["NO_PLANTED_PHI", "PATTERN_RULES", "Finding", "audit_file", "audit_passed_line",
           "audit_text", "audit_tree", "findings_at", "planted_phi_warning"]

#: why a clean audit of such an adapter's recordings proves less than it seems to
NO_PLANTED_PHI = "the adapter plants no PHI values: the audit can only find patterns"


def planted_phi_warning(portal: str, planted: Iterable[PlantedValue]) -> str | None:
    """The warning line for a portal whose adapter plants no PHI value, else None."""
    return None if plants_phi(planted) else f"warning: {portal}: {NO_PLANTED_PHI}"


def audit_passed_line(total_files: int, root: Path, *, planted_phi: bool) -> str:
    """The verdict of a clean audit, saying what was searched: secrets and PHI when every
    adapter audited plants PHI values, else planted values and PHI patterns only."""
    searched = "secret or PHI" if planted_phi else "planted value or PHI pattern"
    return f"audit passed: {total_files} file(s) under {root}, no {searched} found"


def audit_file(path: Path, planted: Iterable[PlantedValue] = (),
               policy: ScrubPolicy | None = None) -> list[Finding]:
    """Every finding in one file, in the base64 bodies of a HAR (decoded, ZIPs opened)
    and in the parsed values of a YAML file (a cassette folds long strings)."""
    planted = list(planted)
    text = path.read_text(encoding="utf-8", errors="replace")
    findings = audit_text(path, text, planted, policy)
    if path.suffix == ".har":
        findings.extend(audit_har_bodies(path, text, planted, policy))
    elif path.suffix in (".yaml", ".yml"):
        findings.extend(audit_yaml_values(path, text, planted, policy))
    return findings


def _hash_findings(meta_path: Path) -> Iterator[Finding]:
    """What is wrong with ``meta.json`` as the voucher of its folder: it does not parse or
    describe a recording (``replay`` and ``list`` call it damaged), a file it lists is
    missing or differs, or a recorded file has no hash in it."""
    text = without_bom(meta_path.read_text(encoding="utf-8", errors="replace"))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        marker = conflict_marker_line(text)
        if marker is not None:
            yield Finding(meta_path, marker, 1, "meta.json holds an unresolved git merge "
                          "conflict", "")
        else:
            yield Finding(meta_path, exc.lineno, exc.colno,
                          f"meta.json is not valid JSON: {exc.msg}", "")
        return
    if not isinstance(data, dict):
        yield Finding(meta_path, 1, 1, "meta.json is not a JSON object", "")
        return
    try:
        meta = RecordingMeta.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(str(p) for p in field_problems(exc))
        yield Finding(meta_path, 1, 1, f"meta.json does not describe a recording: {problems}",
                      "")
        return
    for name, expected in meta.content_hashes.items():
        target = meta_path.parent / name
        if not target.is_file():
            yield Finding(target, 1, 1, "file listed in meta.json is missing", "")
        elif not content_matches(target, expected):
            yield Finding(target, 1, 1, "content hash differs from meta.json "
                          "(edited after scrubbing?)", "")
    # a meta.json with hashes that leaves one recorded file out (a merge dropped its line,
    # a file was copied in) vouches for the others only; one with none at all is a
    # hand-made folder (no recorder writes it), checked by the scans above alone
    for name in (HAR_NAME, GOLDEN_NAME, CASSETTE_NAME) if meta.content_hashes else ():
        target = meta_path.parent / name
        if target.is_file() and name not in meta.content_hashes:
            yield Finding(target, 1, 1, "no content hash in meta.json (added or edited "
                          "after scrubbing?)", "")


def _misplacement(folder: Path) -> str | None:
    """Why the recording in ``folder`` is filed in the wrong place, or None (the rule
    replay applies, :func:`misplacement`). A ``meta.json`` that does not parse or describe
    a recording is no placement question (the hashes check reports the first)."""
    try:
        meta = RecordingMeta.model_validate(read_json_object(folder / META_NAME, "meta.json"))
    except (RecordingError, ValidationError):
        return None
    return misplacement(meta, folder)


def _placement_findings(root: Path) -> Iterator[Finding]:
    """Recordings under a portal folder that replay and ``list`` call damaged: a folder of
    recorded files without ``meta.json``, or a ``meta.json`` naming another flow or portal
    than the folder it sits in (a copy, a bad merge)."""
    for folder in sorted(p for p in root.glob("*/*/*") if p.is_dir()):
        meta = folder / META_NAME
        if not folder.name.startswith(".") and not any(folder.iterdir()):
            yield Finding(folder, 1, 1, "the scenario folder is empty (a partial copy?)", "")
            continue
        if not meta.is_file():
            if any((folder / name).is_file() for name in (HAR_NAME, GOLDEN_NAME)):
                yield Finding(meta, 1, 1, "the recording has no meta.json (damaged)", "")
            continue
        why = _misplacement(folder)
        if why is not None:
            yield Finding(meta, 1, 1, why, "")


def audit_tree(root: Path, planted: Iterable[PlantedValue] = (),
               policy: ScrubPolicy | None = None) -> tuple[list[Finding], int]:
    """Findings in every file under ``root``, and how many files were read."""
    planted = list(planted)
    findings: list[Finding] = []
    count = 0
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        count += 1
        findings.extend(audit_file(path, planted, policy))
        if path.name == META_NAME:
            findings.extend(_hash_findings(path))
    findings.extend(_placement_findings(root))
    return findings, count
