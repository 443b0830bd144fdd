"""Finding the workspace: the folder whose ``portwright.toml`` or ``pyproject.toml``
(``[tool.portwright]``) names where flows, selector maps and recordings live.

Like dbt's project file, the workspace makes every path relative to one root, so the
CLI works the same from any sub-folder.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portwright.exceptions import ConfigError

__all__ = ["WorkspaceFile", "find_workspace_file"]

#: ``[table]`` (not ``[[array]]``) at the start of a line, and ``key =`` with a bare or
#: quoted key: enough to point a person at the line of a setting (tomllib gives no lines)
_HEADER = re.compile(r"^\s*\[(?!\[)\s*([^\]]*?)\s*\]")
_KEY = re.compile(r"""^\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_-]+))\s*=""")


@dataclass(frozen=True)
class WorkspaceFile:
    """The workspace file found, its root folder and its raw ``[tool.portwright]`` table.

    ``lines`` maps each key of the table to the line it is set on, so that an error about
    a value names the line to fix; ``table_name`` is how a message names the table
    (``[tool.portwright]``, or ``portwright.toml`` whose top level is the table)."""

    path: Path
    root: Path
    table: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)
    table_name: str = "[tool.portwright]"

    def where(self, key: str) -> str:
        """``<file>:<line>`` of ``key`` (``<file>`` when the line is not known)."""
        line = self.lines.get(key)
        return f"{self.path}:{line}" if line else str(self.path)


def _header_name(raw: str) -> str:
    """``tool . "portwright"`` -> ``tool.portwright``."""
    return ".".join(part.strip().strip("\"'") for part in raw.split("."))


def _key_lines(text: str, table: str) -> dict[str, int]:
    """The line (1-based) of each key of the TOML table ``table`` (``""``: top level),
    including sub-tables written as ``[<table>.<key>]``."""
    lines: dict[str, int] = {}
    current = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            current = _header_name(header.group(1))
            prefix = f"{table}." if table else ""
            if current.startswith(prefix) and current != table:
                lines.setdefault(current[len(prefix):].split(".")[0], number)
            continue
        key = _KEY.match(line)
        if key and current == table:
            lines.setdefault(next(g for g in key.groups() if g is not None), number)
    return lines


def _read_table(path: Path) -> tuple[dict[str, Any], dict[str, int], str] | None:
    """The settings table of ``path``, the lines of its keys and its name for messages;
    ``None`` for a ``pyproject.toml`` without ``[tool.portwright]``."""
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{path}: not valid TOML: {exc}", hint="fix the TOML syntax at the position shown"
        ) from exc
    tool = data.get("tool", {})
    nested = isinstance(tool, dict) and "portwright" in tool
    if path.name == "portwright.toml" and not nested:
        return dict(data), _key_lines(text, ""), "portwright.toml"
    if not nested:
        return None
    return dict(tool["portwright"]), _key_lines(text, "tool.portwright"), "[tool.portwright]"


def _refuse_two_files(folder: Path) -> None:
    """A folder with both ``portwright.toml`` and ``[tool.portwright]`` in its
    ``pyproject.toml`` is an error: only one would be read, and the settings of the other
    would silently count for nothing."""
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file() and _read_table(pyproject) is not None:
        raise ConfigError(
            f"{folder}: two workspace files, portwright.toml and [tool.portwright] in "
            "pyproject.toml; portwright reads one, and the other's settings would be "
            "ignored",
            hint="move the settings into one of them and delete the other "
                 "(the whole portwright.toml, or the [tool.portwright] table)",
        )


def find_workspace_file(start: Path | None = None) -> WorkspaceFile | None:
    """Walk up from ``start`` (default: the current directory) to the first workspace file.

    A folder may hold one workspace file: ``portwright.toml`` next to a
    ``pyproject.toml`` with ``[tool.portwright]`` is ``ConfigError``. A ``pyproject.toml``
    without ``[tool.portwright]`` is not a workspace and the search goes on upwards.
    """
    here = (start or Path.cwd()).expanduser().resolve()
    for folder in (here, *here.parents):
        for name in ("portwright.toml", "pyproject.toml"):
            candidate = folder / name
            if candidate.is_file():
                found = _read_table(candidate)
                if found is not None:
                    if name == "portwright.toml":
                        _refuse_two_files(folder)
                    table, lines, table_name = found
                    return WorkspaceFile(path=candidate, root=folder, table=table,
                                         lines=lines, table_name=table_name)
    return None
