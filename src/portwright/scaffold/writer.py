"""Writing a planned adapter: all files or none, never over an existing one.

A scaffold that stops half way leaves a workspace that neither validates nor can be
scaffolded again (the second run would find its own leftovers), so every target is
checked before the first write, and the files and folders already made are removed if a
later write fails.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path

from portwright.exceptions import ConfigError
from portwright.scaffold.plan import PlannedFile

__all__ = ["display_path", "write_all"]


def _refuse_existing(planned: Sequence[PlannedFile], root: Path) -> None:
    existing = [p.target for p in planned if p.target.exists()]
    if not existing:
        return
    shown = ", ".join(str(display_path(path, root)) for path in existing[:5])
    more = f" and {len(existing) - 5} more" if len(existing) > 5 else ""
    raise ConfigError(
        f"nothing was written: {len(existing)} of the new adapter's files already exist "
        f"({shown}{more})",
        hint="choose another adapter name, or remove those files first",
    )


def display_path(path: Path, root: Path) -> Path:
    """``path`` as a person in ``root`` would type it (absolute when outside it)."""
    return path.relative_to(root) if path.is_relative_to(root) else path


def write_all(planned: Sequence[PlannedFile], root: Path) -> list[Path]:
    """Write every planned file; on any failure remove what this call created."""
    _refuse_existing(planned, root)
    made_dirs: list[Path] = []
    written: list[Path] = []
    try:
        for item in planned:
            missing = [d for d in (item.target.parent, *item.target.parent.parents)
                       if not d.exists()]
            for folder in reversed(missing):
                folder.mkdir()
                made_dirs.append(folder)
            with item.target.open("x", encoding="utf-8") as handle:
                written.append(item.target)
                handle.write(item.text)
    except OSError as exc:
        for path in reversed(written):
            path.unlink(missing_ok=True)
        for folder in reversed(made_dirs):
            with contextlib.suppress(OSError):  # someone else put a file there meanwhile
                folder.rmdir()
        raise ConfigError(f"could not write {exc.filename}: {exc.strerror}; nothing was "
                          "kept", hint="check the folder's permissions and free space") from exc
    return written
