"""YAML read with positions kept, so every definition error can say file:line:column.

ruamel.yaml's round-trip loader remembers where each key, value and list item sits;
:func:`position` follows a validation error's location through the document to it.
The plain-Python copy (:attr:`YamlDocument.data`) is what models are validated from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import (
    CommentedKeyMap,
    CommentedKeySeq,
    CommentedMap,
    CommentedSeq,
    CommentedSet,
    TaggedScalar,
    merge_attrib,
)
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from portwright.exceptions import DefinitionError
from portwright.flow.yaml_problems import YamlProblem, deepest_nesting, explain

__all__ = ["YamlDocument", "load_yaml", "plain", "read_yaml_text", "read_yaml_text_leniently"]

#: the tag of ``!!str``: the one explicit tag a flow or map has a use for
_STR_TAG = "tag:yaml.org,2002:str"

#: a plain scalar's text in a block or a flow collection (a number has no space)
_TOKEN = re.compile(r"[^\s,\]\}#]+")

#: names pydantic puts into error locations for members of plain unions
_MEMBER_TAGS = frozenset({"str", "int", "float", "bool", "list", "dict", "none"})


@dataclass(frozen=True)
class YamlDocument:
    """A parsed YAML file: the position-carrying tree and its plain copy."""

    file: str
    tree: Any
    data: Any
    text: str = ""
    #: numbers YAML reads as other than written (``0123`` is 123, ``1.10`` is 1.1) and
    #: every true/false, by location, with the text written: where a field takes text
    #: and numbers alike, the text written is not what it gets
    written_numbers: dict[tuple[str | int, ...], str] = field(default_factory=dict)

    def position(self, loc: Sequence[str | int]) -> tuple[int, int, bool]:
        """1-based (line, column) of the deepest node ``loc`` reaches, and whether the
        whole path was found (a missing key points at its parent mapping)."""
        node = self.tree
        line, col = 1, 1
        if isinstance(node, CommentedMap | CommentedSeq):
            line, col = node.lc.line + 1, node.lc.col + 1
        found = True
        parts = list(loc)
        for i, part in enumerate(parts):
            found = False
            last = i == len(parts) - 1
            if isinstance(node, CommentedMap) and isinstance(part, str) and part in node:
                child = node[part]
                following = parts[i + 1] if not last else None
                if not last and not isinstance(child, CommentedMap | CommentedSeq) and not (
                    isinstance(following, str)
                    and (following[:1].isupper() or following in _MEMBER_TAGS)
                ):
                    found = True
                    continue  # a union tag equal to a key holding a scalar (e.g. 'css')
                owner = _written_in(node, part)
                if owner is None:  # no position known: the mapping's own
                    line, col = node.lc.line + 1, node.lc.col + 1
                else:
                    kl, kc = owner.lc.key(part)
                    line, col = kl + 1, kc + 1
                    if not isinstance(child, CommentedMap | CommentedSeq) and child is not None:
                        vl, vc = owner.lc.value(part)  # a null value has no place of its own
                        line, col = vl + 1, vc + 1
                node = child
                found = True
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(
                node
            ):
                il, ic = node.lc.item(part)
                line, col = il + 1, ic + 1
                node = node[part]
                found = True
            # else: a key that is not there (a missing field), or a union member tag
            # pydantic inserts into locations, which the document does not have
        return line, col, found

    def at(self, loc: Sequence[str | int]) -> Any:
        """The plain value at ``loc`` (None when the document has nothing there)."""
        node = self.data
        for part in loc:
            in_map = isinstance(node, dict) and isinstance(part, str) and part in node
            in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
            if not (in_map or in_list):
                return None
            node = node[part]
        return node

    def at_tree(self, loc: Sequence[str | int]) -> Any:
        """The ruamel node at ``loc`` (keeps how a scalar was written, e.g. a ``|``
        block); None when the document has nothing there."""
        node = self.tree
        for part in loc:
            in_map = isinstance(node, CommentedMap) and isinstance(part, str) and part in node
            in_list = isinstance(node, CommentedSeq) and isinstance(part, int) and (
                0 <= part < len(node))
            if not (in_map or in_list):
                return None
            node = node[part]
        return node

    def line_text(self, line: int) -> str | None:
        """The text of 1-based ``line`` of the file (None past its end)."""
        lines = self._lines
        return lines[line - 1] if 1 <= line <= len(lines) else None

    @cached_property
    def _lines(self) -> list[str]:
        return self.text.splitlines()

    def written_at(self, line: int, column: int) -> str | None:
        """The plain scalar written at 1-based ``line``:``column``, as written."""
        text = self.line_text(line)
        found = _TOKEN.match(text, column - 1) if text is not None else None
        return found.group(0) if found else None

    def key_position(self, loc: Sequence[str | int]) -> tuple[int, int]:
        """Position of the key (not its value) at the end of ``loc``."""
        *parent_loc, last = loc
        node = self.tree
        for part in parent_loc:
            if isinstance(node, CommentedMap) and part in node:
                if isinstance(node[part], CommentedMap | CommentedSeq):
                    node = node[part]  # else: a union tag equal to a scalar key ('css')
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(
                node
            ):
                node = node[part]
        owner = _written_in(node, last) if isinstance(node, CommentedMap) else None
        if owner is not None:
            kl, kc = owner.lc.key(last)
            return kl + 1, kc + 1
        line, col, _ = self.position(loc)
        return line, col


def _written_in(node: CommentedMap, key: Any) -> CommentedMap | None:
    """The mapping where ``key`` of ``node`` is written: ``node`` itself, or for a key
    that came from a merge (``<<: *base``) the anchored mapping it came from, whose
    position is where the value can be fixed. None when neither knows the key."""
    if key in node.lc.data:
        return node
    for merged in getattr(node, merge_attrib, None) or ():
        if isinstance(merged, CommentedMap) and key in merged:
            found = _written_in(merged, key)
            if found is not None:
                return found
    return None


def plain(node: Any) -> Any:
    """Deep copy of a ruamel tree as plain dict/list/str/int/float/bool/None.

    An unquoted date (``2024-01-02``) stays the text written, which is what every field
    taking a date parses, rather than a Python date whose repr no message should show;
    ``!!str 0123`` is the text ``0123``, as YAML means it."""
    if isinstance(node, dict):
        return {_key_text(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, TaggedScalar) and str(node.tag) == _STR_TAG:
        return str(node.value)
    if isinstance(node, datetime):
        yaml_form = getattr(node, "_yaml", None) or {}
        if yaml_form.get("tz"):  # ruamel keeps the zone as written ('Z', '+02:00')
            return node.replace(tzinfo=None).isoformat("T") + str(yaml_form["tz"])
        return node.isoformat("T" if yaml_form.get("t") else " ")
    if isinstance(node, date):
        return node.isoformat()
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node


def _key_text(key: Any) -> str:
    """A mapping key as text: ``true:`` and ``null:`` keys as written in YAML 1.2's
    words, not as Python's ``True`` and ``None``."""
    if isinstance(key, bool):
        return "true" if key else "false"
    return "null" if key is None else str(key)


def read_yaml_text(path: Path, error: type[DefinitionError]) -> str:
    """The text of a flow or map file. YAML files are UTF-8 (an editor's byte-order mark
    is dropped, so a header test like ``^flow:`` sees the file as written); anything else
    raises ``error`` at the first byte that is not UTF-8, because a decoding traceback
    names neither the file nor the place to fix."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[:exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1:].decode("utf-8-sig", "replace")) + 1
        bad = " ".join(f"0x{b:02x}" for b in raw[exc.start:exc.end])
        raise error(f"not UTF-8 text (byte {bad} {exc.reason})", file=path, line=line,
                    column=column, expected="UTF-8; re-save the file as UTF-8") from None


def read_yaml_text_leniently(path: Path) -> str:
    """The text of a file read only to find a header line (a flow's name): bytes that
    are not UTF-8 become U+FFFD instead of failing every listing of the folder; loading
    the file itself reports them (:func:`read_yaml_text`)."""
    return path.read_bytes().decode("utf-8-sig", errors="replace")


def load_yaml(
    text: str, file: Path | str | None, error: type[DefinitionError]
) -> YamlDocument:
    """Parse ``text``; a syntax error or duplicate key raises ``error`` with its position."""
    name = str(file) if file is not None else "<string>"
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        tree = yaml.load(text)
    except MarkedYAMLError as exc:
        problem = explain(exc, text)
        raise error(problem.message, file=name, line=problem.line, column=problem.column,
                    expected=problem.expected) from None
    except YAMLError as exc:
        raise error(f"YAML error: {exc}", file=name, expected="valid YAML") from None
    except RecursionError:
        problem = deepest_nesting(text)
        raise error(problem.message, file=name, line=problem.line, column=problem.column,
                    expected=problem.expected) from None
    if not isinstance(tree, CommentedMap):
        raise error(
            "the document is not a mapping" if tree is not None else "the file is empty",
            file=name, line=1, column=1, expected="a mapping of keys to values at the top level",
        )
    numbers, odd = _walk_scalars(tree, text.splitlines())
    doc = YamlDocument(file=name, tree=tree, data=plain(tree), text=text,
                       written_numbers=numbers)
    if odd is not None:
        raise error(odd.message, file=name, line=odd.line, column=odd.column,
                    expected=odd.expected)
    return doc


def _walk_scalars(tree: Any, lines: list[str]) -> tuple[
        dict[tuple[str | int, ...], str], YamlProblem | None]:
    """Location → text of each true/false and of each number written otherwise than
    Python would print it; and the first value no model takes, which would otherwise
    reach a message as a Python repr: an unquoted ``{{ template }}`` (a mapping used as
    a key), a list or mapping as a key, or what a YAML tag made (``!!binary`` bytes, a
    ``!!set``, ``!custom`` text)."""
    out: dict[tuple[str | int, ...], str] = {}
    odd: YamlProblem | None = None
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(tree, ())]
    while stack:
        node, loc = stack.pop()
        children: list[tuple[Any, tuple[str | int, ...], Any, Any]] = []
        if isinstance(node, CommentedMap):
            if odd is None and any(isinstance(k, CommentedKeyMap | CommentedKeySeq)
                                   for k in node):
                odd = _composite_key(node, lines)
            children = [(child, (*loc, str(key)), node, key) for key, child in node.items()]
        elif isinstance(node, CommentedSeq):
            children = [(child, (*loc, i), node, i) for i, child in enumerate(node)]
        for child, child_loc, parent, key in children:
            if isinstance(child, CommentedMap | CommentedSeq):
                stack.append((child, child_loc))
            elif odd is None and (isinstance(child, bytes | set | CommentedSet) or (
                    isinstance(child, TaggedScalar) and str(child.tag) != _STR_TAG)):
                row, col = _value_place(parent, key) or (0, 0)
                what = (f"a value tagged '{child.tag}'" if isinstance(child, TaggedScalar)
                        else "a !!binary or !!set value")
                odd = YamlProblem(
                    f"{what} is not a value a flow or map can hold",
                    "plain text, a number, true/false, a list or a mapping; remove the tag "
                    "(quote the value to make it text)", row + 1, col + 1)
            elif isinstance(child, int | float):
                place = _value_place(parent, key)
                if place is None:
                    continue
                row, col = place
                found = _TOKEN.match(lines[row], col) if 0 <= row < len(lines) else None
                written = found.group(0) if found else None
                canonical = "" if isinstance(child, bool) else str(int(child)) if isinstance(
                    child, int) else repr(float(child))
                if written is not None and written != canonical:
                    out[child_loc] = written
    return out, odd


def _value_place(parent: Any, key: Any) -> tuple[int, int] | None:
    """0-based (line, column) where the value of ``parent[key]`` is written."""
    if isinstance(parent, CommentedSeq):
        return tuple(parent.lc.item(key))
    owner = _written_in(parent, key)
    return tuple(owner.lc.value(key)) if owner is not None else None


def _composite_key(node: CommentedMap, lines: list[str]) -> YamlProblem:
    """The problem of a mapping with a list or mapping as a key: almost always a template
    written without quotes, which YAML reads as ``{ {inputs.x: null}: null }``."""
    row, col = node.lc.line, node.lc.col
    written = lines[row][col:].split(" #")[0].rstrip() if 0 <= row < len(lines) else ""
    if written.startswith("{{"):
        return YamlProblem(
            f"an unquoted template: YAML reads {written} as a mapping",
            f'the template in quotes: "{written}"', row + 1, col + 1)
    return YamlProblem("a list or mapping used as a key", "a name (text) as each key",
                       row + 1, col + 1)
