"""Find flows by name in the workspace: ``flows/<portal>/*.yaml``.

Names are indexed from each file's ``flow:`` line (cheap, tolerant of broken files), so
asking for one flow parses only that file. Both the header lines and the parsed flows are
cached by each file's modification time and size: a run that calls ten sub-flows costs ten
directory listings and stats, not ten reads of every flow file of the portal.
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
        self._parsed: dict[Path, tuple[tuple[int, int], Flow]] = {}
        self._headers: dict[Path, tuple[tuple[int, int], str | None]] = {}

    def files(self, portal: str | None = None) -> list[Path]:
        base = self.folder / portal if portal else self.folder
        pattern = "*.yaml" if portal else "*/*.yaml"
        return sorted(base.glob(pattern)) if base.is_dir() else []

    def index(self, portal: str | None = None) -> dict[str, Path]:
        """Flow name → file, read from the header line of every file."""
        out: dict[str, Path] = {}
        for f in self.files(portal):
            name = self._header(f)
            if name is not None:
                out.setdefault(name, f)
        return out

    def _header(self, file: Path) -> str | None:
        """The name on ``file``'s ``flow:`` line, re-read only when the file changed."""
        try:
            stamp = _stamp(file)
        except FileNotFoundError:  # removed since the listing
            return None
        cached = self._headers.get(file)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        m = _HEADER.search(file.read_text(encoding="utf-8"))
        name = m.group(1) if m else None
        self._headers[file] = (stamp, name)
        return name

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
        stamp = _stamp(path)
        cached = self._parsed.get(path)
        if cached and cached[0] == stamp:
            return cached[1]
        flow = load_flow(path, flow_mutates=self._mutates)
        if flow.flow != name:
            raise FlowDefinitionError(f"file declares '{flow.flow}', not '{name}'", file=path,
                                      line=1, column=1, field="flow", expected=name)
        self._parsed[path] = (stamp, flow)
        return flow

    def _mutates(self, name: str) -> bool | None:
        try:
            path = self.path_of(name)
        except FlowDefinitionError:
            return None
        m = re.search(r"^mutates:\s*(true|yes)\s*$", path.read_text(encoding="utf-8"),
                      re.MULTILINE | re.IGNORECASE)
        return bool(m)


def _stamp(file: Path) -> tuple[int, int]:
    """What says a file changed: its modification time (ns) and its size."""
    stat = file.stat()
    return stat.st_mtime_ns, stat.st_size


_SHARED: dict[Path, FlowRepository] = {}


def shared_repository(folder: Path) -> FlowRepository:
    """One repository per flows folder for the whole process (replays, staleness checks):
    it re-parses a file only when it changed, so many readers parse each flow once."""
    folder = Path(folder)
    if folder not in _SHARED:
        _SHARED[folder] = FlowRepository(folder)
    return _SHARED[folder]
