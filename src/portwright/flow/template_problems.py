"""Say what is wrong with a template a flow writes, and where in a many-line value.

Jinja2's "No filter named 'upperr'." names the typo but not the fix; an error in the
fifth line of a ``|`` block would otherwise point at the ``|``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from jinja2 import TemplateSyntaxError
from ruamel.yaml.scalarstring import LiteralScalarString

from portwright.flow.yaml_source import YamlDocument

__all__ = ["syntax_place", "syntax_problem"]

_UNKNOWN = re.compile(r"^No (filter|test) named '([^']*)'")


def syntax_problem(exc: TemplateSyntaxError, filters: Iterable[str], tests: Iterable[str],
                   *, expression: bool) -> tuple[str, str, str | None]:
    """(message, expected, hint) for ``exc``: an unknown filter or test is named as such,
    with the closest known one as the hint, rather than as a generic syntax error."""
    unknown = _UNKNOWN.match(exc.message or "")
    if unknown:
        kind, name = unknown.groups()
        known = sorted(filters if kind == "filter" else tests)
        close = difflib.get_close_matches(name, known, n=1)
        return (f"unknown {kind} '{name}'", f"one of the {kind}s: " + ", ".join(known),
                f"did you mean '{close[0]}'?" if close else None)
    what = "a valid Jinja2 expression" if expression else "a valid Jinja2 template"
    return f"template syntax error: {exc.message}", what, None


def syntax_place(doc: YamlDocument, loc: tuple[str | int, ...],
                 exc: TemplateSyntaxError) -> tuple[int, int]:
    """1-based (line, column) of ``exc`` in the file: inside a literal ``|`` block each
    template line is a file line, so the error's own line is named; other values
    (one line, or folded by YAML) are named where they start."""
    line, col, _ = doc.position(loc)
    node = doc.at_tree(loc)
    lineno = exc.lineno or 1
    if isinstance(node, LiteralScalarString) and lineno >= 1:
        lines = str(node).count("\n") + (0 if str(node).endswith("\n") else 1)
        target = line + min(lineno, max(lines, 1))  # the text starts below the '|'
        text = doc.line_text(target)
        if text is not None:
            return target, len(text) - len(text.lstrip(" ")) + 1
    return line, col
