"""Output files named on the command line, checked before the work that fills them.

A run, a selector check or a canary may take minutes, and a run may have changed the
portal; finding only afterwards that ``--out reports/x.json`` cannot be written lost the
result to a traceback. So the folder is made first (as for any output file) and a path
that cannot be written is a usage error (exit 2) before anything starts.
"""

from __future__ import annotations

import os
from pathlib import Path

import typer

__all__ = ["prepared_folder", "prepared_output"]


def prepared_output(path: Path | None, option: str) -> Path | None:
    """``path`` with its folder made, or ``typer.BadParameter`` naming ``option``."""
    if path is None:
        return None
    if path.is_dir():
        raise typer.BadParameter(f"{path} is a folder; expected a file path", param_hint=option)
    prepared_folder(path.parent, option)
    if path.exists() and not os.access(path, os.W_OK):
        raise typer.BadParameter(f"{path} is not writable", param_hint=option)
    return path


def prepared_folder(path: Path, option: str) -> Path:
    """An output folder, made if missing, or ``typer.BadParameter`` naming ``option``."""
    if path.exists() and not path.is_dir():
        raise typer.BadParameter(f"{path} is a file; expected a folder", param_hint=option)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise typer.BadParameter(f"cannot make the folder {path}: {exc.strerror}",
                                 param_hint=option) from None
    if not os.access(path, os.W_OK):
        raise typer.BadParameter(f"{path} is not writable", param_hint=option)
    return path
