"""A failed run never leaves a trace it could not scrub: when the failure trace cannot
be recorded or scrubbed (the page could not be captured, the zip is damaged, writing the
scrubbed copy fails), every file of it is deleted, the artifacts folder and the temporary
folders hold no password, and the run's own error is the one raised.

The page here typed a password, then broke the one-shot trace's capture: its sign-in
button adds a stray ``<html>`` element, so ``locator("html")`` matches two elements and
the capture fails at once, after Playwright has snapshotted the page, password and all.
"""

from __future__ import annotations

import os
import stat
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser

from portwright.engine import Engine
from portwright.exceptions import StepError
from portwright.runner import trace_keeping
from portwright.runner.trace_scrub import scrub_trace
from portwright.settings import load_settings
from portwright.templating import StaticSecretResolver
from portwright.testing.pages_server import PagesServer

pytestmark = pytest.mark.browser

PASSWORD = "Quartz-Lantern-8812!"
SECRETS = StaticSecretResolver({"password": PASSWORD})

LOGIN = """<html><head><meta name="app-version" content="1.0"></head><body>
<form onsubmit="return false">
<input type="password" name="password" id="password" aria-label="Password">
<button type="button" id="sign-in"
 onclick="document.body.appendChild(document.createElement('html'))">Sign in</button>
</form></body></html>"""

MAP = """portal: lockbox
version: "1.0"
detect:
  - {meta: app-version, matches: "^1\\\\."}
pages:
  home: {path: /, public: true}
selectors:
  login.password: [{css: "#password"}]
  login.submit: [{css: "#sign-in"}]
"""

FLOW = """flow: lockbox.login
steps:
  - {action: goto, url: "{{ portal.base_url }}/"}
  - {action: fill, target: login.password, value: "{{ secrets.lockbox.password }}"}
  - {action: click, target: login.submit}
  - {action: assert, check: url, contains: "/welcome", message: "not signed in"}
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    (root / "flows" / "lockbox").mkdir(parents=True)
    (root / "flows" / "lockbox" / "login.yaml").write_text(FLOW)
    (root / "selectors" / "lockbox").mkdir(parents=True)
    (root / "selectors" / "lockbox" / "1.0.yaml").write_text(MAP)
    (root / "portwright.toml").write_text(
        'artifacts = "out"\nartifact_privacy = "full"\nstep_timeout_ms = 1000\n')
    return root


@pytest.fixture
def portal() -> Iterator[PagesServer]:
    with PagesServer({"/": LOGIN}) as server:
        yield server


def _holding(root: Path, value: bytes, since: float) -> list[str]:
    """Every file below ``root`` written since ``since`` that holds ``value``, zip
    members read one by one (a trace is deflated)."""
    found = []
    # os.walk, not rglob: other processes' temp folders (Chromium's profiles) come and
    # go while this walks, and rglob stops at the first one that vanished
    files = (Path(folder) / name for folder, _, names in os.walk(root) for name in names)
    for path in files:
        try:
            if not path.is_file() or path.stat().st_mtime < since:
                continue
            data = path.read_bytes()
        except OSError:   # another process's file, gone or unreadable
            continue
        members = [data]
        if zipfile.is_zipfile(path):
            try:
                with zipfile.ZipFile(path) as archive:
                    members += [archive.read(name) for name in archive.namelist()]
            except (zipfile.BadZipFile, OSError):
                pass
        if any(value in member for member in members):
            found.append(str(path))
    return found


async def test_a_failure_trace_that_cannot_be_captured_leaves_no_password_behind(
        browser: Browser, workspace: Path, portal: PagesServer) -> None:
    since = time.time() - 1
    engine = Engine(load_settings(workspace), browser=browser, secrets=SECRETS,
                    portal_urls={"lockbox": portal.url})
    try:
        with pytest.raises(StepError, match="not signed in") as info:
            await engine.run("lockbox.login")
    finally:
        await engine.close()
    err = info.value
    out = workspace / "out"
    assert _holding(out, PASSWORD.encode(), since) == []
    assert list(out.rglob("*.zip")) == [] and list(out.rglob("*.scrubbing")) == []
    # nor in the temp folder, except Playwright's live recording, which goes to the
    # browser's own traces folder: the owner's only, and removed when the browser closes
    # (portwright.browser; tests/portwright/test_browser.py)
    elsewhere = _holding(Path(tempfile.gettempdir()), PASSWORD.encode(), since)
    for path in map(Path, elsewhere):
        assert path.parent.name.startswith("portwright-traces-"), path
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700, path
    assert {p.name for p in err.artifacts} == {"failure.png", "steps.jsonl"}
    assert "trace not kept" in str(err)


async def test_a_trace_part_that_cannot_be_scrubbed_keeps_the_run_s_error_and_no_temp_file(
        browser: Browser, workspace: Path, portal: PagesServer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Recorded throughout (``retain-on-failure``): the part recorded before the password
    was typed fails to scrub (a disk that fills up), yet the step's error is raised, the
    part is deleted rather than kept as written, and the temporary folder is removed."""
    calls: list[Path] = []

    def failing_first(path: Path, secrets: list[bytes], **kwargs: object) -> None:
        calls.append(path)
        if len(calls) == 1:
            with path.with_suffix(".scrubbing").open("wb") as half:
                half.write(b"PK")
            raise OSError(28, "No space left on device")
        scrub_trace(path, secrets, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(trace_keeping, "scrub_trace", failing_first)
    # temporary folders of this run only (another test process may be tracing too)
    private_tmp = workspace / "tmp"
    private_tmp.mkdir(exist_ok=True)
    monkeypatch.setattr(tempfile, "tempdir", str(private_tmp))
    engine = Engine(load_settings(workspace), browser=browser, secrets=SECRETS,
                    trace="retain-on-failure",
                    trace_snapshots=True, portal_urls={"lockbox": portal.url})
    try:
        with pytest.raises(StepError, match="not signed in") as info:
            await engine.run("lockbox.login")
    finally:
        await engine.close()
    assert [p.name for p in calls] == ["trace-part1.zip"]   # no chunk after the password
    kept = {p.name for p in info.value.artifacts}
    assert calls[0].name not in kept and not calls[0].exists()
    out = workspace / "out"
    assert list(out.rglob("*.scrubbing")) == []
    assert list(private_tmp.glob("pw-trace-*")) == []
    assert "trace not kept (it could not be recorded or scrubbed: OSError)" in str(info.value)
