"""Finding the workspace: the folder whose ``portwright.toml`` or ``pyproject.toml``
(``[tool.portwright]``) names where flows, selector maps and recordings live.

Like dbt's project file, the workspace makes every path relative to one root, so the
CLI works the same from any sub-folder.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portwright.exceptions import ConfigError

__all__ = ["WorkspaceFile", "find_workspace_file"]


@dataclass(frozen=True)
class WorkspaceFile:
    """The workspace file found, its root folder and its raw ``[tool.portwright]`` table."""

    path: Path
    root: Path
    table: dict[str, Any]


def _read_table(path: Path) -> dict[str, Any] | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{path}: not valid TOML: {exc}", hint="fix the TOML syntax at the position shown"
        ) from exc
    if path.name == "portwright.toml":
        table = data.get("tool", {}).get("portwright", data)
        return dict(table)
    tool = data.get("tool", {})
    if "portwright" in tool:
        return dict(tool["portwright"])
    return None


def find_workspace_file(start: Path | None = None) -> WorkspaceFile | None:
    """Walk up from ``start`` (default: the current directory) to the first workspace file.

    ``portwright.toml`` wins over ``pyproject.toml`` in the same folder; a
    ``pyproject.toml`` without ``[tool.portwright]`` is not a workspace and the search
    goes on upwards.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in ("portwright.toml", "pyproject.toml"):
            candidate = folder / name
            if candidate.is_file():
                table = _read_table(candidate)
                if table is not None:
                    return WorkspaceFile(path=candidate, root=folder, table=table)
    return None
