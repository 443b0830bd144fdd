"""Output files named on the command line, checked before the work that fills them.

A run, a selector check or a canary may take minutes, and a run may have changed the
portal; finding only afterwards that ``--out reports/x.json`` cannot be written lost the
result to a traceback. So the folder is made first (as for any output file) and a path
that cannot be written is a usage error (exit 2) before anything starts. So is an output
that is one of the command's own input files (``claims build c.json -o c.json``): the
input would be replaced by the output and lost.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import typer

__all__ = ["prepared_folder", "prepared_output"]


def prepared_output(path: Path | None, option: str, *, inputs: Sequence[Path] = ()
                    ) -> Path | None:
    """``path`` with its folder made, or ``typer.BadParameter`` naming ``option`` (also
    when ``path`` is one of ``inputs``, by any name: a link, ``./``, ``..``)."""
    if path is None:
        return None
    if path.is_dir():
        raise typer.BadParameter(f"{path} is a folder; expected a file path", param_hint=option)
    for source in inputs:
        if _same_file(path, source):
            raise typer.BadParameter(f"{path} is the input file {source}; writing there "
                                     "would replace it", param_hint=option)
    prepared_folder(path.parent, option)
    if path.exists() and not os.access(path, os.W_OK):
        raise typer.BadParameter(f"{path} is not writable", param_hint=option)
    return path


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


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
