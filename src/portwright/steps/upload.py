"""Handler of ``upload``: relative paths are taken from the workspace root."""

from __future__ import annotations

from pathlib import Path

from portwright.flow.steps.upload import UploadStep
from portwright.runner.context import RunContext


async def handle(step: UploadStep, run: RunContext) -> None:
    root = run.engine.settings.root
    paths = []
    for item in step.files:
        path = Path(run.text(item))
        path = path if path.is_absolute() else root / path
        if not path.is_file():
            raise run.fail(step, f"file to upload does not exist: {path}")
        paths.append(path)
    loc = await run.one(step.target, step, navigates=False)
    await loc.set_input_files(paths, timeout=run.timeout(step))
    run.note(step, files=[p.name for p in paths])
