"""YAML read with positions kept, so every definition error can say file:line:column.

ruamel.yaml's round-trip loader remembers where each key, value and list item sits;
:func:`position` follows a validation error's location through the document to it.
The plain-Python copy (:attr:`YamlDocument.data`) is what models are validated from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, merge_attrib
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from portwright.exceptions import DefinitionError

__all__ = ["YamlDocument", "load_yaml", "plain", "read_yaml_text", "read_yaml_text_leniently"]

#: names pydantic puts into error locations for members of plain unions
_MEMBER_TAGS = frozenset({"str", "int", "float", "bool", "list", "dict", "none"})


@dataclass(frozen=True)
class YamlDocument:
    """A parsed YAML file: the position-carrying tree and its plain copy."""

    file: str
    tree: Any
    data: Any

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
    """Deep copy of a ruamel tree as plain dict/list/str/int/float/bool/None."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node


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
        mark = exc.problem_mark or exc.context_mark
        problem_text = (exc.problem or exc.context or "invalid YAML").strip()
        if "duplicate key" in problem_text or "found duplicate key" in str(exc):
            raise error(
                problem_text.splitlines()[0], file=name,
                line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None,
                expected="each key once per mapping",
            ) from None
        raise error(
            f"YAML syntax error: {problem_text}", file=name,
            line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None,
            expected="valid YAML",
        ) from None
    except YAMLError as exc:
        raise error(f"YAML error: {exc}", file=name, expected="valid YAML") from None
    if not isinstance(tree, CommentedMap):
        raise error(
            "the document is not a mapping" if tree is not None else "the file is empty",
            file=name, line=1, column=1, expected="a mapping of keys to values at the top level",
        )
    return YamlDocument(file=name, tree=tree, data=plain(tree))
