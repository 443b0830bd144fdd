"""Find flows by name in the workspace: ``flows/<portal>/*.yaml``.

Names are indexed from each file's ``flow:`` line (cheap, tolerant of broken files), so
asking for one flow parses only that file; parsed flows are cached by modification time.
"""

from __future__ import annotations

import re
from pathlib import Path

from portwright.exceptions import FlowDefinitionError
from portwright.flow.loader import load_flow
from portwright.flow.model import Flow

__all__ = ["FlowRepository", "shared_repository"]

_HEADER = re.compile(r"^flow:\s*['\"]?([A-Za-z0-9_.]+)['\"]?\s*(#.*)?$", re.MULTILINE)


class FlowRepository:
    """The flows of one workspace folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._parsed: dict[Path, tuple[float, Flow]] = {}

    def files(self, portal: str | None = None) -> list[Path]:
        base = self.folder / portal if portal else self.folder
        pattern = "*.yaml" if portal else "*/*.yaml"
        return sorted(base.glob(pattern)) if base.is_dir() else []

    def index(self, portal: str | None = None) -> dict[str, Path]:
        """Flow name → file, read from the header line of every file."""
        out: dict[str, Path] = {}
        for f in self.files(portal):
            m = _HEADER.search(f.read_text(encoding="utf-8"))
            if m:
                out.setdefault(m.group(1), f)
        return out

    def path_of(self, name: str) -> Path:
        portal = name.split(".", 1)[0]
        found = self.index(portal).get(name)
        if found is None:
            known = ", ".join(sorted(self.index(portal))) or "none"
            raise FlowDefinitionError(
                f"no flow named '{name}'", file=self.folder / portal,
                expected=f"one of the flows in {self.folder / portal}: {known}",
                hint=f"add flows/{portal}/<file>.yaml with 'flow: {name}'",
            )
        return found

    def get(self, name: str) -> Flow:
        """The parsed flow called ``name`` (cached until its file changes)."""
        path = self.path_of(name)
        mtime = path.stat().st_mtime
        cached = self._parsed.get(path)
        if cached and cached[0] == mtime:
            return cached[1]
        flow = load_flow(path, flow_mutates=self._mutates)
        if flow.flow != name:
            raise FlowDefinitionError(f"file declares '{flow.flow}', not '{name}'", file=path,
                                      line=1, column=1, field="flow", expected=name)
        self._parsed[path] = (mtime, flow)
        return flow

    def _mutates(self, name: str) -> bool | None:
        try:
            path = self.path_of(name)
        except FlowDefinitionError:
            return None
        m = re.search(r"^mutates:\s*(true|yes)\s*$", path.read_text(encoding="utf-8"),
                      re.MULTILINE | re.IGNORECASE)
        return bool(m)


_SHARED: dict[Path, FlowRepository] = {}


def shared_repository(folder: Path) -> FlowRepository:
    """One repository per flows folder for the whole process (replays, staleness checks):
    it re-parses a file only when it changed, so many readers parse each flow once."""
    folder = Path(folder)
    if folder not in _SHARED:
        _SHARED[folder] = FlowRepository(folder)
    return _SHARED[folder]
