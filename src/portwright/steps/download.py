"""Handler of ``download``."""

from __future__ import annotations

from pathlib import Path

from portwright.flow.steps.download import DownloadStep
from portwright.runner.context import RunContext


async def handle(step: DownloadStep, run: RunContext) -> None:
    loc = await run.one(step.target, step)
    async with run.page.expect_download(timeout=run.timeout(step)) as info:
        await loc.click(timeout=run.timeout(step))
    download = await info.value
    name = Path(download.suggested_filename).name or "download.bin"
    path = run.artifact(name)
    await download.save_as(path)
    run.set_var(step.into, {"path": str(path), "filename": name, "size": path.stat().st_size})
