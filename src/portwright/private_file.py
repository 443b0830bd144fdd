"""Writing a file only its owner may read, so that no reader ever sees half of it.

Encrypted secrets, saved sessions, refusal records, the TOTP ledger, the submission
ledger and the claims files it keeps (PHI) are replaced whole: the new bytes
go to a temporary file next to the target, which then takes the target's name in one
``os.replace``. So a reader (or a crash) sees the old file or the new one, never a
mixture that no longer decrypts. Every writer gets a temporary name of its own: a name
shared by two writers (two threads of one process, or processes in containers whose
pids coincide) is truncated under one of them and renamed away before the other is done.

The temporary file is 0600 from the moment it exists (never created wider and narrowed
afterwards), folders made on the way are 0700, and a write that fails for any reason
removes its temporary file and leaves the old content as it was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["make_private_dir", "write_private_file"]

_DIR_MODE = 0o700


def make_private_dir(path: Path) -> None:
    """Create ``path`` and any missing parents with mode 0700; existing folders keep the
    mode they have (a user may have made them stricter, or shared them on purpose)."""
    missing: list[Path] = []
    current = path
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process made it meanwhile
            os.mkdir(folder, _DIR_MODE)


def write_private_file(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically; the file is the owner's only (0600)."""
    make_private_dir(path.parent)
    # mkstemp: a name no other writer has, created with O_EXCL and mode 0600.
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())  # the bytes are on disk before the name points at them
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_dir(path.parent)


def _sync_dir(folder: Path) -> None:
    """Make the rename itself durable. The new file is already in place and complete, so
    a file system that cannot sync a folder (some network mounts refuse) is no failure
    of the write."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
