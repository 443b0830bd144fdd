"""Where a run's artifacts go: ``<artifacts>/<flow>/<UTC time>-<run id>/``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = ["ArtifactFolder"]


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
