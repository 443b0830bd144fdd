"""Text the plain scan cannot see: HAR bodies in base64 (compressed, zipped) and YAML
values folded across lines.

A HAR stores binary and compressed bodies as base64, so a name inside is invisible to a
text search until the body is decoded the way the scrubber decodes it
(:func:`~portwright.recording.scrub.bodies.decode_body`: base64, then gzip/deflate) and
any ZIP opened, ZIPs inside ZIPs too. A vcrpy cassette is YAML, which folds a long string
over several lines (``patient Shawn\\n    Thorne``), so its parsed values are audited as
well as its text. A body or a file that cannot be decoded is itself a finding, naming
the file: the audit must never stop with a traceback on the one file that needs a look.
"""

from __future__ import annotations

import binascii
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from portwright.recording.audit_scan import Finding, audit_text
from portwright.recording.hooks import PlantedValue
from portwright.recording.scrub.bodies import decode_body, zip_members
from portwright.recording.scrub.policy import ScrubPolicy

__all__ = ["audit_har_bodies", "audit_yaml_values"]

#: ZIPs inside ZIPs are opened this deep (an export packet holding a ZIP of letters)
_MAX_ZIP_DEPTH = 4
_DECODE_ERRORS = (binascii.Error, ValueError, zlib.error, EOFError, OSError)


def _as_text(data: bytes) -> str:
    """Bytes as text: UTF-16 when a byte-order mark says so, else UTF-8."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", "replace")
    return data.decode("utf-8", "replace")


def _parts(name: str, raw: bytes, depth: int = 0) -> Iterator[tuple[str, bytes]]:
    members = zip_members(raw) if depth < _MAX_ZIP_DEPTH else None
    if members is None:
        yield name, raw
        return
    for member, data in members:
        yield from _parts(f"{name}/{member}" if name else member, data, depth + 1)


def _entries(path: Path, text: str) -> tuple[list[Any], list[Finding]]:
    try:
        har = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [Finding(path, exc.lineno, exc.colno, f"HAR is not valid JSON: {exc.msg}",
                            "")]
    log = har.get("log") if isinstance(har, dict) else None
    entries = log.get("entries") if isinstance(log, dict) else None
    if not isinstance(entries, list):
        return [], [Finding(path, 1, 1, "HAR is not a JSON object with a log holding a list "
                            "of entries", "")]
    return entries, []


def audit_har_bodies(path: Path, text: str, planted: list[PlantedValue],
                     policy: ScrubPolicy | None) -> list[Finding]:
    """Findings inside the base64 bodies of a HAR, decoded and unzipped."""
    entries, found = _entries(path, text)
    for index, entry in enumerate(entries):
        response = entry.get("response") if isinstance(entry, dict) else None
        content = response.get("content") if isinstance(response, dict) else None
        if not isinstance(content, dict) or content.get("encoding") != "base64" \
                or not content.get("text"):
            continue
        try:
            raw = decode_body(str(content["text"]), "base64")
        except _DECODE_ERRORS as exc:
            found.append(Finding(path, 1, 1, f"entries[{index}]: base64 body cannot be "
                                 f"decoded ({type(exc).__name__}: {exc})", ""))
            continue
        for name, data in _parts("", raw):
            where = Path(f"{path}#entries[{index}]" + (f"/{name}" if name else ""))
            found.extend(audit_text(where, _as_text(data), planted, policy))
    return found


def _scalars(node: Node) -> Iterator[ScalarNode]:
    if isinstance(node, ScalarNode):
        yield node
    elif isinstance(node, SequenceNode):
        for item in node.value:
            yield from _scalars(item)
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            yield from _scalars(key)
            yield from _scalars(value)


def _scalar_text(node: ScalarNode) -> str:
    if str(node.tag or "").endswith(":binary"):  # vcrpy writes bytes bodies as !!binary base64
        try:
            return _as_text(decode_body("".join(node.value.split()), "base64"))
        except _DECODE_ERRORS:
            return str(node.value)
    return str(node.value)


def audit_yaml_values(path: Path, text: str, planted: list[PlantedValue],
                      policy: ScrubPolicy | None) -> list[Finding]:
    """Findings in YAML values as parsed, where the file's text does not show them as
    they are (a folded or escaped string, a binary body), placed at the value's start."""
    try:
        root = YAML(typ="safe", pure=True).compose(text)
    except YAMLError:
        return []  # not YAML after all: the plain scan of its text is all there is
    found: list[Finding] = []
    for node in _scalars(root) if root is not None else ():
        value = _scalar_text(node)
        if value in text[node.start_mark.index:node.end_mark.index]:
            continue  # the plain scan of the text saw it as it is
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        found.extend(Finding(path, line, column, f"{inner.rule} (in a YAML value)",
                             inner.preview)
                     for inner in audit_text(path, value, planted, policy))
    return found
