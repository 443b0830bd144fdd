"""Which files a new adapter gets, and where: the template tree laid over the workspace.

The templates live in the package (``portwright/templates/adapter/``), in a tree shaped
like a workspace: its first folder names the workspace area (``adapters``, ``flows``,
``selectors`` follow the workspace settings; ``tests`` is under the root), and the path
segments ``__portal__``, ``__package__`` and ``__ui_version__`` take the adapter's names.
A file ending in ``.tmpl`` is rendered with :class:`string.Template` (``$portal``,
``$class_name``...; ``$$`` for a literal dollar), which leaves the flows' own Jinja
expressions (``{{ portal.base_url }}``) alone; any other file is copied as it is.
"""

from __future__ import annotations

import importlib.resources
import string
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

from portwright.exceptions import ConfigError
from portwright.scaffold.names import AdapterNames
from portwright.settings import Settings

__all__ = ["WORKSPACE_FILE_TEXT", "PlannedFile", "plan_adapter_files", "template_root"]

_TEMPLATE_SUFFIX = ".tmpl"
#: workspace areas whose folder comes from the settings (the rest sit under the root)
_SETTINGS_AREAS = ("adapters", "flows", "selectors")

#: written when the target folder is not inside a workspace yet, so every command run
#: from any of its sub-folders finds the same root
WORKSPACE_FILE_TEXT = """\
# portwright workspace: where flows, selector maps, recordings and adapters live
flows = "flows"
selectors = "selectors"
recordings = "recordings"
adapters = "adapters"
artifacts = ".portwright/artifacts"
"""


@dataclass(frozen=True)
class PlannedFile:
    """One file to write: where it goes and its full text."""

    target: Path
    text: str


def template_root() -> Traversable:
    return importlib.resources.files("portwright") / "templates" / "adapter"


def _walk(folder: Traversable, below: PurePosixPath) -> list[tuple[PurePosixPath, Traversable]]:
    found: list[tuple[PurePosixPath, Traversable]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name == "__pycache__":
            continue
        if entry.is_dir():
            found.extend(_walk(entry, below / entry.name))
        else:
            found.append((below / entry.name, entry))
    return found


def _target(relative: PurePosixPath, names: AdapterNames, settings: Settings) -> Path:
    segments = [part.replace("__portal__", names.portal)
                    .replace("__package__", names.package)
                    .replace("__ui_version__", names.ui_version)
                for part in relative.parts]
    area, rest = segments[0], segments[1:]
    base = settings.path(area) if area in _SETTINGS_AREAS else settings.root / area
    name = rest[-1]
    if name.endswith(_TEMPLATE_SUFFIX):
        rest[-1] = name[: -len(_TEMPLATE_SUFFIX)]
    return base.joinpath(*rest)


def plan_adapter_files(names: AdapterNames, settings: Settings) -> list[PlannedFile]:
    """Every file of the new adapter, rendered in memory (a bad template writes nothing)."""
    values = names.placeholders()
    planned = []
    for relative, entry in _walk(template_root(), PurePosixPath()):
        text = entry.read_text(encoding="utf-8")
        if relative.name.endswith(_TEMPLATE_SUFFIX):
            try:
                text = string.Template(text).substitute(values)
            except (KeyError, ValueError) as exc:  # a bug in a template, not in the input
                raise ConfigError(f"adapter template {relative}: {exc}",
                                  hint="write a literal dollar sign as $$") from exc
        planned.append(PlannedFile(_target(relative, names, settings), text))
    return planned
