"""Reading a recording's JSON files so that a damaged one is named, not a traceback.

Recordings are committed files people hand-edit, merge and sometimes truncate; a
``JSONDecodeError`` from deep inside replay says neither which file nor where. Every
reader of ``meta.json``, ``golden.json`` and ``flow.har`` goes through here and raises a
:class:`~portwright.exceptions.RecordingError` with the file, line and column.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from portwright.exceptions import RecordingError

__all__ = ["conflict_marker_line", "read_har", "read_json_object", "without_bom"]

#: the lines git writes around an unresolved merge conflict
_CONFLICT_STARTS = ("<<<<<<< ", ">>>>>>> ", "||||||| ")


def without_bom(text: str) -> str:
    """``text`` without a leading byte-order mark: a Windows editor saves JSON with one,
    and its content is no less intact for it (``json`` refuses it outright)."""
    return text.removeprefix("\ufeff")


def conflict_marker_line(text: str) -> int | None:
    """The 1-based line of the first git conflict marker in ``text``, or None. A merged
    recording with markers left in is not "invalid JSON at 41:1" to whoever merged it:
    it is a conflict nobody resolved."""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.rstrip()
        if stripped == "=======" or stripped.startswith(_CONFLICT_STARTS):
            return number
    return None


def read_json_object(path: Path, what: str) -> dict[str, Any]:
    """The JSON object in ``path`` (``what`` names it in errors: "meta.json", "HAR")."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RecordingError(f"{path}: the recording has no {what}",
                             hint="re-record it (portwright record ... --record-mode all)"
                             ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordingError(f"{path}: cannot read {what}: {exc}") from None
    text = without_bom(text)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        marker = conflict_marker_line(text)
        if marker is not None:
            raise RecordingError(
                f"{path}:{marker}:1: {what} holds an unresolved git merge conflict "
                "(<<<<<<< / ======= / >>>>>>> lines)",
                hint="a recording cannot be merged by hand: take one side whole "
                     f"(git checkout --ours or --theirs -- {path.parent}), or re-record the "
                     "scenario") from None
        raise RecordingError(
            f"{path}:{exc.lineno}:{exc.colno}: {what} is not valid JSON: {exc.msg}",
            hint="restore the file from version control, or re-record the scenario",
        ) from None
    if not isinstance(data, dict):
        raise RecordingError(f"{path}:1:1: {what} must be a JSON object, "
                             f"not {type(data).__name__}")
    return data


def read_har(path: Path) -> dict[str, Any]:
    """The HAR in ``path``, checked to hold a list of entry objects: ``"entries": null``
    or a truncated entry must fail naming the file, not as a ``TypeError`` mid-replay."""
    data = read_json_object(path, "HAR")
    log = data.get("log")
    if not isinstance(log, dict):
        raise RecordingError(f"{path}: not a HAR file (no 'log' object)",
                             hint="restore the file from version control, or re-record the "
                                  "scenario")
    entries = log.get("entries")
    if not isinstance(entries, list):
        raise RecordingError(f"{path}: HAR 'log.entries' must be a list, not "
                             f"{type(entries).__name__}",
                             hint="restore the file from version control, or re-record the "
                                  "scenario")
    for index, entry in enumerate(entries):
        request = entry.get("request") if isinstance(entry, dict) else None
        if not isinstance(request, dict) or not isinstance(entry.get("response"), dict) \
                or "url" not in request or "method" not in request:
            raise RecordingError(f"{path}: HAR entry {index} is not a request with a "
                                 "response", hint="restore the file from version control, "
                                 "or re-record the scenario")
    return data
