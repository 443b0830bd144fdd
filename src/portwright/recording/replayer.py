"""Run a flow against its recording, fully offline, and compare with the golden output.

The browser context routes every request through ``HarReplay`` (in recorded order;
a request not in the HAR is aborted, nothing else reaches any network); non-browser HTTP
runs inside the cassette in record mode ``none`` (a request not in it raises); secrets
resolve to the recording's placeholders and MFA codes come from the recording. The flow
runs from a clean state folder, as it was recorded, so no saved session short-cuts the
login the recording holds.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playwright.async_api import Browser, BrowserContext

from portwright.exceptions import PortwrightError, RecordingError, ReplayMismatch
from portwright.recording.api_requests import ReplayApiRequests, install_api_requests
from portwright.recording.cassette import make_vcr
from portwright.recording.golden import (
    assert_matches_golden,
    golden_from_error,
    golden_from_outputs,
    same_json,
)
from portwright.recording.har_replay import HarReplay, load_har
from portwright.recording.hooks import hooks_for
from portwright.recording.layout import HAR_NAME, RecordingPaths, iter_recordings
from portwright.recording.miss_report import misses_line
from portwright.recording.record_mode import RecordMode
from portwright.recording.replay_secrets import ReplaySecrets, recorded_mfa
from portwright.recording.scrub.policy import ScrubPolicy
from portwright.settings import Settings, load_settings

if TYPE_CHECKING:
    from portwright.runner.result import RunResult

__all__ = ["ReplayOutcome", "find_recordings", "replay_many", "replay_recording",
           "what_is_recorded"]


@dataclass
class ReplayOutcome:
    """A replay's result (or the error the scenario expects), and what the HAR served."""

    paths: RecordingPaths
    actual: dict[str, Any]
    golden: dict[str, Any]
    result: RunResult | None = None
    error: PortwrightError | None = None
    served: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    ms: float = 0.0
    #: WebSockets the replayed pages opened, closed before connecting
    refused_sockets: list[str] = field(default_factory=list)

    @property
    def matches(self) -> bool:
        return same_json(self.golden, self.actual) and not self.misses

    def assert_matches(self) -> None:
        """Raise ``ReplayMismatch`` naming misses and every output difference."""
        if self.misses:
            raise ReplayMismatch(
                f"{self.paths.folder / HAR_NAME}: {misses_line(self.misses, self.error)}",
                hint=_MISS_HINT,
            )
        assert_matches_golden(self.golden, self.actual, where=str(self.paths.golden))


#: what to do about requests a HAR has no answer for
_MISS_HINT = ("the flow or the recording changed since it was recorded (an entry deleted or "
              "edited?): restore flow.har from version control, or re-record with "
              "--record-mode all")

_POLICIES: dict[str, ScrubPolicy] = {}
_HARS: dict[Path, tuple[float, dict[str, Any]]] = {}


def _policy(portal: str) -> ScrubPolicy:
    """The portal's scrub policy, read once per process."""
    if portal not in _POLICIES:
        _POLICIES[portal] = hooks_for(portal).scrub_policy()
    return _POLICIES[portal]


def _har(path: Path) -> dict[str, Any]:
    """A recording's HAR, parsed once per process (again if the file changes). A HAR that
    is missing or unreadable fails as ``load_har`` says (naming the file), not as the
    ``FileNotFoundError`` of the cache's ``stat``."""
    try:
        mtime = path.stat().st_mtime
    except OSError:
        _HARS.pop(path, None)
        return load_har(path)
    cached = _HARS.get(path)
    if cached is None or cached[0] != mtime:
        cached = _HARS[path] = (mtime, load_har(path))
    return cached[1]


@contextlib.contextmanager
def _http_isolation(policy: ScrubPolicy, cassette: Path) -> Iterator[None]:
    """MFA from the recording, and Python-side HTTP only from the cassette (mode none)."""
    with recorded_mfa(), make_vcr(policy, RecordMode.NONE).use_cassette(str(cassette)):
        yield


async def replay_many(recordings: list[RecordingPaths], *, settings: Settings | None = None,
                      browser: Browser, concurrency: int = 4,
                      on_done: Callable[[RecordingPaths, ReplayOutcome | PortwrightError],
                                        None] | None = None,
                      ) -> dict[Path, ReplayOutcome | PortwrightError]:
    """Replay many recordings on one browser, several at a time; outcome (or error) per
    recording folder. ``on_done`` hears of each as it finishes (to report progress).

    vcrpy's patching and the MFA swap are process-wide, so recordings without a cassette
    run concurrently inside one shared isolation (no cassette: every Python-side request
    raises), and recordings with a cassette run one at a time inside their own.
    """
    settings = settings or load_settings()
    done: dict[Path, ReplayOutcome | PortwrightError] = {}
    plain = [p for p in recordings if not p.cassette.is_file()]
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(paths: RecordingPaths, isolated: bool) -> None:
        async with gate:
            try:
                done[paths.folder] = await replay_recording(
                    paths, settings=settings, browser=browser, _isolated=isolated)
            except PortwrightError as exc:
                done[paths.folder] = exc
            except (OSError, ValueError) as exc:
                # a damaged file nobody foresaw (read_har checks the HAR's shape, so a
                # TypeError or KeyError here is a bug, shown as one): this recording
                # fails, naming its folder, and the batch goes on
                done[paths.folder] = RecordingError(
                    f"{paths.folder}: cannot replay: {type(exc).__name__}: {exc}",
                    hint="restore the recording from version control, or re-record it")
            if on_done is not None:
                on_done(paths, done[paths.folder])

    if plain:
        empty = Path(tempfile.mkdtemp(prefix="portwright-replay-")) / "no-cassette.yaml"
        try:
            with _http_isolation(_policy(plain[0].portal), empty):
                await asyncio.gather(*(one(p, False) for p in plain))
        finally:
            shutil.rmtree(empty.parent, ignore_errors=True)
    for paths in recordings:
        if paths.cassette.is_file():
            await one(paths, True)
    return done


def find_recordings(settings: Settings, flow: str | None = None, scenario: str | None = None,
                    ui_version: str | None = None) -> list[RecordingPaths]:
    """Recordings in the workspace, optionally only of one flow/scenario/UI version."""
    found = []
    for paths in iter_recordings(settings.path("recordings")):
        if flow is not None and paths.flow != flow:
            continue
        if scenario is not None and paths.scenario != scenario:
            continue
        if ui_version is not None and paths.ui_version != ui_version:
            continue
        found.append(paths)
    return found


def what_is_recorded(settings: Settings, flow: str | None = None) -> str:
    """For a 'no recording' error: the scenarios (with UI versions) recorded for ``flow``,
    or, when it has none, the flows that have recordings."""
    every = find_recordings(settings)
    mine = [p for p in every if p.flow == flow]
    if mine:
        versions: dict[str, list[str]] = {}
        for paths in mine:
            versions.setdefault(paths.scenario, []).append(paths.ui_version)
        return f"recorded scenarios of {flow}: " + ", ".join(
            f"{s} ({', '.join(sorted(v))})" for s, v in sorted(versions.items()))
    flows = sorted({p.flow for p in every})
    return ("recorded flows: " + ", ".join(flows)) if flows else "nothing is recorded yet"


def _keep_artifacts(error: PortwrightError, made: Path, kept: Path) -> None:
    """Move a failed replay's artifacts from its temporary folder (about to be removed)
    to ``kept``, and name them there in ``error``: a FAIL line must not point at files
    that are gone by the time anyone reads it. Successful replays (and a validation-error
    scenario failing as recorded) keep nothing, downloads included."""
    if not made.is_dir() or not any(made.iterdir()):
        return
    shutil.copytree(made, kept, dirs_exist_ok=True)
    old, new = str(made), str(kept)
    error.message = error.message.replace(old, new)
    error.args = (error.message, *error.args[1:])
    moved = getattr(error, "artifacts", None)
    if isinstance(moved, list):
        error.artifacts = [Path(str(p).replace(old, new)) for p in moved]  # type: ignore[attr-defined]


async def replay_recording(paths: RecordingPaths, *, settings: Settings | None = None,
                           browser: Browser | None = None, _isolated: bool = True
                           ) -> ReplayOutcome:
    """Replay one recording offline and return its outcome (compare with ``matches``)."""
    from portwright.runner.engine import Engine
    from portwright.runner.session import SessionKey

    settings = settings or load_settings()
    meta = paths.load_meta()
    golden = paths.load_golden()
    har = _har(paths.har)
    paths.check_listed_files(meta)
    policy = _policy(meta.portal)
    replay = HarReplay.from_har(har, policy)

    async def replay_context(b: Browser, key: SessionKey) -> BrowserContext:
        context = await b.new_context(service_workers="block")
        await replay.attach(context)
        install_api_requests(context, ReplayApiRequests(replay))
        return context

    work = Path(tempfile.mkdtemp(prefix="portwright-replay-"))
    started = time.perf_counter()
    result = None
    error: PortwrightError | None = None
    try:
        run_settings = settings.model_copy(update={"state": work / "state",
                                                   "artifacts": work / "artifacts"})
        engine = Engine(run_settings, secrets=ReplaySecrets(policy, set(meta.secret_names)),
                        browser=browser,
                        trace="off", portal_urls={meta.portal: meta.portal_url},
                        context_factory=replay_context)
        isolation = _http_isolation(policy, paths.cassette) if _isolated else \
            contextlib.nullcontext()
        try:
            with isolation:
                try:
                    result = await engine.run(meta.flow, meta.inputs,
                                              portal_url=meta.portal_url, account=meta.account)
                except PortwrightError as exc:
                    error = exc
        finally:
            await engine.close()
    finally:
        if error is not None and not same_json(golden, golden_from_error(error)):
            _keep_artifacts(error, work / "artifacts", settings.path("artifacts") / "replay")
        shutil.rmtree(work, ignore_errors=True)
    if result is not None:
        payload = json.loads(result.model_dump_json(by_alias=True))
        actual = golden_from_outputs(payload["outputs"])
    elif error is not None and "error" in golden:
        actual = golden_from_error(error)
    else:
        assert error is not None
        if replay.misses:
            raise ReplayMismatch(
                f"{paths.har}: {misses_line(replay.misses, error)}",
                hint=_MISS_HINT,
            ) from error
        raise error
    return ReplayOutcome(paths, actual, golden, result, error, list(replay.served),
                         list(replay.misses), round((time.perf_counter() - started) * 1000, 1),
                         list(replay.refused_sockets))
