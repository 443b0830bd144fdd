"""Find flows by name in the workspace: ``flows/<portal>/*.yaml``.

Names are indexed from each file's ``flow:`` line (cheap, tolerant of broken files), so
asking for one flow parses only that file. Both the header lines and the parsed flows are
cached by each file's modification time and size: a run that calls ten sub-flows costs ten
directory listings and stats, not ten reads of every flow file of the portal.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from portwright.exceptions import FlowDefinitionError
from portwright.flow.loader import load_flow
from portwright.flow.model import Flow
from portwright.flow.yaml_source import read_yaml_text_leniently

__all__ = ["FlowRepository", "UnknownFlow", "duplicate_flow_error", "shared_repository",
           "unknown_flow_error"]

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
        """Flow name → file, read from the header line of every file (the first file
        when several declare one name: :meth:`path_of` refuses such a name)."""
        return {name: files[0] for name, files in self._files_by_name(portal).items()}

    def duplicates(self, portal: str | None = None) -> dict[str, list[Path]]:
        """Flow names declared by more than one file, with every such file: which one a
        run would get is an accident of file names, so none is taken."""
        return {name: files for name, files in self._files_by_name(portal).items()
                if len(files) > 1}

    def _files_by_name(self, portal: str | None) -> dict[str, list[Path]]:
        out: dict[str, list[Path]] = {}
        for f in self.files(portal):
            name = self._header(f)
            if name is not None:
                out.setdefault(name, []).append(f)
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
        m = _HEADER.search(read_yaml_text_leniently(file))
        name = m.group(1) if m else None
        self._headers[file] = (stamp, name)
        return name

    def path_of(self, name: str) -> Path:
        portal = name.split(".", 1)[0]
        files = self._files_by_name(portal)
        if len(files.get(name, ())) > 1:
            raise duplicate_flow_error(name, files[name])
        found = files[name][0] if name in files else None
        if found is None:
            raise unknown_flow_error(name, sorted(files), self.folder / portal)
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
        m = re.search(r"^mutates:\s*(true|yes)\s*$", read_yaml_text_leniently(path),
                      re.MULTILINE | re.IGNORECASE)
        return bool(m)


#: up to how many flows an unknown name's error lists
_LISTED = 10


class UnknownFlow(FlowDefinitionError):
    """No flow of the workspace has the name asked for."""


def unknown_flow_error(name: str, known: list[str], folder: Path) -> UnknownFlow:
    """The error for a flow name no file declares: the close names when there are some,
    else the flows when they are few, else their count (a portal may have dozens;
    listing them all hides the typo)."""
    close = difflib.get_close_matches(name, known, n=3)
    portal = name.split(".", 1)[0]
    if close:
        expected = "a flow of the workspace; did you mean " + " or ".join(
            f"'{c}'" for c in close) + "?"
    elif 0 < len(known) <= _LISTED:
        expected = f"one of the flows in {folder}: " + ", ".join(known)
    elif known:
        expected = f"one of the {len(known)} flows in {folder} (`portwright flows list`)"
    else:
        expected = f"a flow in {folder} (it has none)"
    return UnknownFlow(f"no flow named '{name}'", file=folder, expected=expected,
                       hint=f"add flows/{portal}/<file>.yaml with 'flow: {name}'")


def duplicate_flow_error(name: str, files: list[Path]) -> FlowDefinitionError:
    """The error for a flow name more than one file declares, naming every file."""
    header = _HEADER.search(read_yaml_text_leniently(files[0]))
    line = read_yaml_text_leniently(files[0]).count("\n", 0, header.start()) + 1 if header else 1
    return FlowDefinitionError(
        f"flow '{name}' is declared by {len(files)} files: "
        + ", ".join(str(f) for f in files[1:]) + " as well",
        file=files[0], line=line, column=1, field="flow",
        expected="each flow name in one file only; rename or remove the others")


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
