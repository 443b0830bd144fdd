"""Say what is wrong with a YAML file the reader refused, in the words of the person who
wrote it: where, what, and what to write instead.

ruamel.yaml's own wording is about its parser ("found character '\\t' that cannot start
any token", "but found another document") and names only one place of a duplicate key;
a RecursionError from a deeply nested file would surface as a Python traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode
from ruamel.yaml.tokens import (
    BlockEndToken,
    BlockMappingStartToken,
    BlockSequenceStartToken,
    FlowMappingEndToken,
    FlowMappingStartToken,
    FlowSequenceEndToken,
    FlowSequenceStartToken,
)

__all__ = ["YamlProblem", "deepest_nesting", "explain"]

_OPENS = (BlockMappingStartToken, BlockSequenceStartToken, FlowMappingStartToken,
          FlowSequenceStartToken)
_CLOSES = (BlockEndToken, FlowMappingEndToken, FlowSequenceEndToken)


@dataclass(frozen=True)
class YamlProblem:
    """One refusal: message, expected, and the 1-based place (None when unknown)."""

    message: str
    expected: str
    line: int | None
    column: int | None


def explain(exc: MarkedYAMLError, text: str) -> YamlProblem:
    """The problem ``exc`` reports, reworded where ruamel's words are its parser's."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    problem = (exc.problem or exc.context or "invalid YAML").strip().splitlines()[0]
    if "duplicate merge key" in problem:
        return YamlProblem(
            "duplicate merge key '<<' in one mapping" + _first_at(exc, text),
            "one '<<' per mapping; merge several with a list: '<<: [*first, *second]'",
            line, column)
    if "duplicate key" in problem:
        key = problem.split('"')[1] if problem.count('"') >= 2 else "?"
        return YamlProblem(
            f"duplicate key '{key}' in one mapping" + _first_at(exc, text)
            + " (YAML would keep only the last one)",
            "each key once per mapping; remove or rename one of them", line, column)
    if "'\\t'" in problem or "'\t'" in problem:
        return YamlProblem(
            "a tab character: YAML does not allow tabs for indentation or before a value",
            "spaces instead of the tab (set the editor to insert spaces for YAML)",
            line, column)
    if "found another document" in problem:
        return YamlProblem(
            "a second YAML document starts here ('---' after content)",
            "one document per file: remove the '---' line, or move the rest to its own file",
            line, column)
    if "mapping values are not allowed" in problem or "could not find expected ':'" in problem:
        glued = _glued_key(text, line)
        if glued is not None:
            at_line, at_column, written = glued
            key, value = written.split(":", 1)
            return YamlProblem(
                f"YAML syntax error: no space after the ':' in '{written}', so YAML reads "
                "it as text, not as a key and its value",
                f"valid YAML: '{key}: {value}' (a space after a key's colon)",
                at_line, at_column)
        return YamlProblem(
            f"YAML syntax error: {problem}",
            "valid YAML: the keys of one mapping at the same indentation, and a value "
            "that holds ': ' in quotes", line, column)
    return YamlProblem(f"YAML syntax error: {problem}", "valid YAML", line, column)


#: ``key:value`` at the start of a line (after a list dash), the colon glued to the value
_GLUED = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][\w.-]*:(?=[^\s:/])\S*)")


def _glued_key(text: str, line: int | None) -> tuple[int, int, str] | None:
    """(line, column, text) of a ``key:value`` written without the space, on the line
    the parser stopped at or the two above it: the parser trips only on a later line."""
    if line is None:
        return None
    lines = text.splitlines()
    for number in range(line, max(line - 3, 0), -1):
        found = _GLUED.match(lines[number - 1]) if number <= len(lines) else None
        if found:
            return number, len(found.group(1)) + 1, found.group(2)
    return None


def _first_at(exc: MarkedYAMLError, text: str) -> str:
    """``: first at line N`` for a duplicate key whose first writing is found, else ''."""
    line = _first_key_line(exc, text)
    return f": first at line {line}, again here" if line is not None else ""


def _first_key_line(exc: MarkedYAMLError, text: str) -> int | None:
    """The line of the first writing of the key ``exc`` found a second time: composing
    (not constructing) the document keeps every key of the mapping it reports."""
    mapping_mark, key_mark = exc.context_mark, exc.problem_mark
    if mapping_mark is None or key_mark is None:
        return None
    try:
        root = YAML(typ="rt").compose(text)
    except (MarkedYAMLError, RecursionError):
        return None
    stack: list[Node] = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            if node.start_mark.index == mapping_mark.index:
                written = [k for k, _ in node.value if k.start_mark.index == key_mark.index]
                if written:
                    for k, _ in node.value:
                        if k.tag == written[0].tag and k.value == written[0].value:
                            return int(k.start_mark.line) + 1
            stack.extend(n for pair in node.value for n in pair)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return None


def deepest_nesting(text: str) -> YamlProblem:
    """Where ``text`` is nested deepest, for a file too deep for the reader's recursion:
    the tokens are scanned without recursion, so the place can still be named."""
    depth, deepest = 0, 0
    line: int | None = None
    column: int | None = None
    try:
        for token in YAML(typ="rt").scan(text):
            if isinstance(token, _OPENS):
                depth += 1
                if depth > deepest:
                    deepest = depth
                    line, column = token.start_mark.line + 1, token.start_mark.column + 1
            elif isinstance(token, _CLOSES):
                depth -= 1
    except MarkedYAMLError:
        pass  # the depth reached before a syntax error is what is reported
    return YamlProblem(
        f"nested too deeply to read ({deepest} levels of lists and mappings, the deepest"
        " starting here)",
        "far fewer levels of nesting (a flow or map rarely needs more than 10)",
        line, column)
