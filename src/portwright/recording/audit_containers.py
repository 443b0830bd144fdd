"""Text the plain scan cannot see: HAR bodies in base64 (compressed, zipped), compressed
bodies stored as text, and YAML values folded across lines.

A HAR stores binary and compressed bodies as base64, so a name inside is invisible to a
text search until the body is decoded the way the scrubber decodes it
(:func:`~portwright.recording.scrub.bodies.decode_body`: base64, then gzip/deflate) and
any ZIP opened, ZIPs inside ZIPs too. A tool that is not a browser may store a gzip or
deflate body without base64, each byte as one character (``"\\u001f\\u008b..."`` in JSON,
``"\\x1F\\x8B..."`` in YAML): such a body or value is turned back into its bytes and
decompressed too. A vcrpy cassette is YAML, which folds a long string over several lines
(``patient Shawn\\n    Thorne``), so its parsed values are audited as well as its text.
A body or a file that cannot be decoded is itself a finding, naming the file: the audit
must never stop with a traceback on the one file that needs a look.
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
from portwright.recording.json_file import conflict_marker_line, without_bom
from portwright.recording.scrub.bodies import decode_body, zip_members
from portwright.recording.scrub.policy import ScrubPolicy
from portwright.recording.scrub.stored_compression import stored_compressed

__all__ = ["audit_har_bodies", "audit_yaml_values"]

#: ZIPs inside ZIPs are opened this deep (an export packet holding a ZIP of letters)
_MAX_ZIP_DEPTH = 4
_DECODE_ERRORS = (binascii.Error, ValueError, zlib.error, EOFError, OSError)


def _as_text(data: bytes) -> str:
    """Bytes as text: UTF-16 when a byte-order mark says so, else UTF-8."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", "replace")
    return data.decode("utf-8", "replace")


def _decompressed(text: str) -> bytes | None:
    """A gzip or zlib body stored as text, decompressed; None when ``text`` is no such
    body (raises when a gzip body does not decompress: a finding). The scrubber's own
    rule (:func:`~portwright.recording.scrub.stored_compression.stored_compressed`), so
    what the audit reads here is what the scrubber scrubbed."""
    stored = stored_compressed(text)
    return None if stored is None else stored.data


def _parts(name: str, raw: bytes, depth: int = 0) -> Iterator[tuple[str, bytes]]:
    members = zip_members(raw) if depth < _MAX_ZIP_DEPTH else None
    if members is None:
        yield name, raw
        return
    for member, data in members:
        yield from _parts(f"{name}/{member}" if name else member, data, depth + 1)


def _entries(path: Path, text: str) -> tuple[list[Any], list[Finding]]:
    text = without_bom(text)
    try:
        har = json.loads(text)
    except json.JSONDecodeError as exc:
        marker = conflict_marker_line(text)
        if marker is not None:
            return [], [Finding(path, marker, 1, "HAR holds an unresolved git merge conflict",
                                "")]
        return [], [Finding(path, exc.lineno, exc.colno, f"HAR is not valid JSON: {exc.msg}",
                            "")]
    log = har.get("log") if isinstance(har, dict) else None
    entries = log.get("entries") if isinstance(log, dict) else None
    if not isinstance(entries, list):
        return [], [Finding(path, 1, 1, "HAR is not a JSON object with a log holding a list "
                            "of entries", "")]
    return entries, []


def _bodies(entry: object) -> Iterator[tuple[str, str, bool]]:
    """``(which body, its text, whether it is base64)`` of an entry's request and
    response bodies."""
    if not isinstance(entry, dict):
        return
    request, response = entry.get("request"), entry.get("response")
    posted = request.get("postData") if isinstance(request, dict) else None
    if isinstance(posted, dict) and isinstance(posted.get("text"), str):
        yield "request body", posted["text"], False
    content = response.get("content") if isinstance(response, dict) else None
    if isinstance(content, dict) and isinstance(content.get("text"), str):
        yield "body", content["text"], content.get("encoding") == "base64"


def _body_bytes(text: str, is_base64: bool) -> bytes | None:
    """A body's bytes, decoded and decompressed; None for a plain text body, which the
    scan of the file's text has already read."""
    if is_base64:
        return decode_body(text, "base64")
    return _decompressed(text)


def audit_har_bodies(path: Path, text: str, planted: list[PlantedValue],
                     policy: ScrubPolicy | None) -> list[Finding]:
    """Findings inside the base64 and the compressed bodies of a HAR, decoded and
    unzipped."""
    entries, found = _entries(path, text)
    for index, entry in enumerate(entries):
        for kind, body, is_base64 in _bodies(entry):
            if not body:
                continue
            try:
                raw = _body_bytes(body, is_base64)
            except _DECODE_ERRORS as exc:
                how = "base64 " if is_base64 else "compressed "
                found.append(Finding(path, 1, 1, f"entries[{index}]: {how}{kind} cannot be "
                                     f"decoded ({type(exc).__name__}: {exc})", ""))
                continue
            if raw is None:
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
    """The value as the cassette's reader gets it: ``!!binary`` decoded, a gzip or zlib
    body decompressed. Raises when it cannot be decoded (a finding for the caller)."""
    if str(node.tag or "").endswith(":binary"):  # vcrpy writes bytes as !!binary base64
        return _as_text(decode_body("".join(node.value.split()), "base64"))
    raw = _decompressed(str(node.value))
    return str(node.value) if raw is None else _as_text(raw)


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
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        try:
            value = _scalar_text(node)
        except _DECODE_ERRORS as exc:  # unread, it could hide anything: as in a HAR
            found.append(Finding(path, line, column, "a YAML value (a body) cannot be "
                                 f"decoded ({type(exc).__name__}: {exc})", ""))
            continue
        if value in text[node.start_mark.index:node.end_mark.index]:
            continue  # the plain scan of the text saw it as it is
        found.extend(Finding(path, line, column, f"{inner.rule} (in a YAML value)",
                             inner.preview)
                     for inner in audit_text(path, value, planted, policy))
    return found
