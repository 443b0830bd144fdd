"""Where a run's artifacts go: ``<artifacts>/<flow>/<UTC time>-<run id>/``."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = ["ArtifactFolder", "scrub_zip"]


def scrub_zip(path: Path, secrets: list[bytes]) -> None:
    """Blank every secret out of every member of a zip (a Playwright trace), in place.

    Traces record request bodies and DOM snapshots; pausing the trace around secret steps
    narrows what is recorded, this makes sure nothing that was recorded keeps a secret.
    """
    if not secrets or not path.exists():
        return
    with zipfile.ZipFile(path) as src:
        members = [(info, src.read(info)) for info in src.infolist()]
    tmp = path.with_suffix(".scrubbing")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in members:
            for secret in secrets:
                data = data.replace(secret, b"***")
            dst.writestr(info, data)
    tmp.replace(path)


class ArtifactFolder:
    """Created on first use, so successful runs leave nothing behind."""

    def __init__(self, root: Path, flow: str, run_id: str) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        self.path = root / flow / f"{stamp}-{run_id}"
        self.files: list[Path] = []

    def file(self, name: str) -> Path:
        self.path.mkdir(parents=True, exist_ok=True)
        target = self.path / name
        self.files.append(target)
        return target

    def write_jsonl(self, name: str, rows: list[dict[str, Any]]) -> Path:
        target = self.file(name)
        with target.open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, default=str) + "\n")
        return target
