"""Record a flow run: HAR of the browser, cassette of other HTTP, golden output, metadata.

Nothing unscrubbed ever reaches the recordings folder. The run writes its raw HAR and
cassette into a private temporary folder; the scrubber learns from everything (HAR,
cassette, output, inputs) and writes scrubbed copies into a second temporary folder; the
audit checks those copies (patterns and the adapter's planted values); only then is the
folder moved into ``recordings/``. A failure at any point leaves the old recording as it
was and deletes the raw data.

The run starts from a clean state folder, so the login (and MFA) is part of every
recording and a replay can walk the same way. Before it, modes that may keep an existing
recording learn the UI version from a public page (``version_probe``), so keeping one
costs one page load, not a live run of the flow.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, BrowserContext, Download
from ruamel.yaml import YAML

from portwright.exceptions import AuditFailed, PortalValidationError, RecordingError
from portwright.recording.api_requests import RecordingApiRequests, install_api_requests
from portwright.recording.audit import audit_file, findings_at
from portwright.recording.cassette import make_vcr
from portwright.recording.golden import golden_from_error, golden_from_outputs
from portwright.recording.hooks import AdapterHooks, hooks_for
from portwright.recording.layout import (
    CASSETTE_NAME,
    DEFAULT_SCENARIO,
    GOLDEN_NAME,
    HAR_NAME,
    META_NAME,
    RecordingMeta,
    RecordingPaths,
    checked_scenario,
    file_sha256,
)
from portwright.recording.record_mode import RecordMode, validate_record_mode
from portwright.recording.replay_secrets import RecordingSecrets
from portwright.recording.scrub.scrubber import Scrubber
from portwright.recording.staleness import workspace_stale_reasons
from portwright.recording.version_probe import version_before_run
from portwright.runner import browser_pool
from portwright.settings import Settings, load_settings

__all__ = ["RecordOutcome", "record_flow"]

_APP_VERSION = re.compile(r"<meta[^>]+name=[\"']app-version[\"'][^>]+content=[\"']([^\"']+)")


@dataclass(frozen=True)
class RecordOutcome:
    """Where the recording went, and whether this call recorded (``once`` may skip)."""

    paths: RecordingPaths
    recorded: bool
    golden: dict[str, Any]


def app_version_in(har: dict[str, Any]) -> str | None:
    """The portal build a page announced in ``<meta name="app-version">``, if any."""
    for entry in har.get("log", {}).get("entries", []):
        text = (entry.get("response", {}).get("content") or {}).get("text") or ""
        match = _APP_VERSION.search(text) if "app-version" in text else None
        if match:
            return match.group(1)
    return None


async def _run_live(settings: Settings, browser: Browser | None, flow: str, portal: str,
                    portal_url: str, inputs: Mapping[str, Any], account: str | None,
                    raw: Path, policy: Any, secrets: RecordingSecrets
                    ) -> tuple[dict[str, Any], str, str | None, int | str | None]:
    """Run the flow live, recording into ``raw``; returns golden, ui version, map, flow v."""
    from portwright.runner.engine import Engine
    from portwright.runner.session import SessionKey
    from portwright.selector_map.detect import detect_version

    api_logs: list[RecordingApiRequests] = []
    downloads = _Downloads()

    async def har_context(b: Browser, key: SessionKey) -> BrowserContext:
        context = await b.new_context(record_har_path=str(raw / HAR_NAME),
                                      record_har_content="embed", record_har_mode="full",
                                      service_workers="block")
        api_logs.append(RecordingApiRequests(context.request))
        install_api_requests(context, api_logs[-1])
        context.on("page", lambda page: page.on("download", downloads.watch))
        return context

    engine = Engine(settings, secrets=secrets, browser=browser, trace="off",
                    portal_urls={portal: portal_url}, context_factory=har_context)
    golden: dict[str, Any]
    ui_version: str | None = None
    map_version: str | None = None
    flow_version: int | str | None = None
    try:
        with make_vcr(policy, RecordMode.ALL).use_cassette(str(raw / CASSETTE_NAME)):
            try:
                result = await engine.run(flow, inputs, portal_url=portal_url, account=account)
            except PortalValidationError as exc:  # the scenario's point may be the rejection
                golden = golden_from_error(exc)
                session = await engine.session(portal, account)
                detection = await detect_version(session.page,
                                                 engine.selector_maps(portal).values())
                ui_version = map_version = detection.version
                flow_version = engine.flow(flow).version
            else:
                payload = json.loads(result.model_dump_json(by_alias=True))
                golden = golden_from_outputs(payload["outputs"])
                ui_version, map_version = result.portal_version, result.selector_map_version
                flow_version = result.flow_version
    finally:
        bodies = await downloads.collect()  # before the context (and its files) closes
        await engine.close()  # closing the context writes the HAR
        _add_api_entries(raw / HAR_NAME, [e for log in api_logs for e in log.entries])
        _add_download_bodies(raw / HAR_NAME, bodies)
    if ui_version is None:
        raise RecordingError(f"{flow}: the portal's UI version was not detected",
                             hint="the flow must touch a page its selector maps can detect")
    return golden, ui_version, map_version, flow_version


class _Downloads:
    """Bodies of files the browser downloaded: Playwright's HAR leaves them out."""

    def __init__(self) -> None:
        self.tasks: list[asyncio.Task[tuple[str, bytes] | None]] = []

    def watch(self, download: Download) -> None:
        self.tasks.append(asyncio.ensure_future(self._read(download)))

    @staticmethod
    async def _read(download: Download) -> tuple[str, bytes] | None:
        path = await download.path()
        return (download.url, Path(path).read_bytes()) if path else None

    async def collect(self) -> list[tuple[str, bytes]]:
        done = await asyncio.gather(*self.tasks, return_exceptions=True)
        return [d for d in done if isinstance(d, tuple)]


def _add_download_bodies(har_path: Path, bodies: list[tuple[str, bytes]]) -> None:
    """Put each downloaded body into its (empty) HAR entry, in order per URL."""
    if not bodies or not har_path.is_file():
        return
    har = json.loads(har_path.read_text(encoding="utf-8"))
    pending = list(bodies)
    for entry in har["log"]["entries"]:
        content = entry.get("response", {}).get("content") or {}
        if content.get("text"):
            continue
        match = next((b for b in pending if b[0] == entry["request"]["url"]), None)
        if match is not None:
            pending.remove(match)
            content.update(text=base64.b64encode(match[1]).decode(), encoding="base64",
                           size=len(match[1]))
            entry["response"]["content"] = content
    har_path.write_text(json.dumps(har), encoding="utf-8")


def _add_api_entries(har_path: Path, entries: list[dict[str, Any]]) -> None:
    """Append the API client's exchanges (which Playwright's HAR leaves out) to the HAR."""
    if not entries or not har_path.is_file():
        return
    har = json.loads(har_path.read_text(encoding="utf-8"))
    har["log"]["entries"].extend(entries)
    har_path.write_text(json.dumps(har), encoding="utf-8")


def _workspace_secrets(settings: Settings) -> Any:
    try:
        from portwright.auth.credentials.store import CredentialStore
    except ImportError:  # pragma: no cover - auth is part of the engine
        from portwright.templating import EnvSecretResolver

        return EnvSecretResolver()
    return CredentialStore.for_workspace(settings.path("state"))


def _write_scrubbed(raw: Path, staged: Path, scrubber: Scrubber, golden: dict[str, Any],
                    inputs: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    har = json.loads((raw / HAR_NAME).read_text(encoding="utf-8"))
    yaml = YAML(typ="safe", pure=True)
    cassette = None
    if (raw / CASSETTE_NAME).is_file():
        cassette = yaml.load((raw / CASSETTE_NAME).read_text(encoding="utf-8"))
    scrubber.learn_har(har)
    if cassette:
        scrubber.learn_cassette(cassette)
    scrubber.learn_json(golden)
    scrubber.learn_json(dict(inputs))
    staged.mkdir(parents=True)
    scrubbed_har = scrubber.scrub_har(har)
    (staged / HAR_NAME).write_text(json.dumps(scrubbed_har, indent=1, ensure_ascii=False) + "\n",
                                   encoding="utf-8")
    if cassette:
        with (staged / CASSETTE_NAME).open("w", encoding="utf-8") as fh:
            yaml.dump(scrubber.scrub_cassette(cassette), fh)
    scrubbed_golden: dict[str, Any] = scrubber.scrub_json(golden)
    (staged / GOLDEN_NAME).write_text(json.dumps(scrubbed_golden, indent=2, ensure_ascii=False)
                                      + "\n", encoding="utf-8")
    scrubbed_inputs: dict[str, Any] = scrubber.scrub_json(dict(inputs))
    return scrubbed_golden, scrubbed_inputs


def _kept(paths: RecordingPaths, mode: RecordMode, settings: Settings) -> RecordOutcome | None:
    """The outcome of keeping the recording at ``paths``, or None when ``mode`` records."""
    exists = paths.exists()
    stale = exists and bool(workspace_stale_reasons(settings, paths))
    if mode.should_record(exists, stale):
        return None
    return RecordOutcome(paths, False, paths.load_golden())


async def record_flow(
    flow: str,
    *,
    portal_url: str,
    inputs: Mapping[str, Any] | None = None,
    scenario: str = DEFAULT_SCENARIO,
    mode: RecordMode | str = RecordMode.ONCE,
    account: str | None = None,
    settings: Settings | None = None,
    browser: Browser | None = None,
    hooks: AdapterHooks | None = None,
) -> RecordOutcome:
    """Record ``flow`` against the portal at ``portal_url`` (see the module docstring).

    ``hooks`` (scrub policy and planted values) default to the installed adapter's; a
    test or a one-off recording may pass its own.
    """
    record_mode = validate_record_mode(mode)
    checked_scenario(scenario)
    settings = settings or load_settings()
    if record_mode is RecordMode.NONE:
        raise RecordingError("record mode 'none' never records",
                             hint="use --record-mode once, new_episodes or all")
    portal = flow.split(".", 1)[0]
    if browser is None:  # one browser for the version check and the run
        shared = await browser_pool.acquire(settings.headless, settings.browser)
        try:
            return await record_flow(flow, portal_url=portal_url, inputs=inputs,
                                     scenario=scenario, mode=record_mode, account=account,
                                     settings=settings, browser=shared, hooks=hooks)
        finally:
            await browser_pool.release(shared)
    root = settings.path("recordings")
    if record_mode is not RecordMode.ALL:
        # Learn the UI version from a public page first: when the recording there is to be
        # kept, nothing else runs (no login, and a mutating flow writes nothing).
        ui = await version_before_run(browser, settings, portal, portal_url)
        kept = _kept(RecordingPaths(root, portal, flow, ui, scenario), record_mode,
                     settings) if ui else None
        if kept is not None:
            return kept
    hooks = hooks or hooks_for(portal)
    policy = hooks.scrub_policy()
    inputs = dict(inputs or {})

    work = Path(tempfile.mkdtemp(prefix="portwright-record-"))
    try:
        raw, staged = work / "raw", work / "scrubbed"
        raw.mkdir()
        state = work / "state"  # a clean session: the recording includes the login
        run_settings = settings.model_copy(update={"state": state})
        secrets = RecordingSecrets(_workspace_secrets(settings))
        golden, ui_version, map_version, flow_version = await _run_live(
            run_settings, browser, flow, portal, portal_url, inputs, account, raw, policy,
            secrets)
        paths = RecordingPaths(root, portal, flow, ui_version, scenario)
        kept = _kept(paths, record_mode, settings)
        if kept is not None:  # the version was not known before the run
            return kept
        har = json.loads((raw / HAR_NAME).read_text(encoding="utf-8"))
        scrubber = Scrubber(policy)
        scrubbed_golden, scrubbed_inputs = _write_scrubbed(raw, staged, scrubber, golden, inputs)
        shutil.rmtree(raw)  # the raw data is not needed any more
        meta = RecordingMeta(
            portal=portal, flow=flow, flow_version=flow_version,
            selector_map_version=map_version, app_version=app_version_in(har),
            ui_version=ui_version, scenario=scenario, portal_url=portal_url.rstrip("/"),
            inputs=scrubbed_inputs, account=account, secret_names=sorted(secrets.names),
            content_hashes={p.name: file_sha256(p) for p in sorted(staged.iterdir())},
        )
        meta.write(staged / META_NAME)
        planted = hooks.planted_values()
        findings = [f for p in sorted(staged.iterdir()) for f in audit_file(p, planted, policy)]
        if findings:
            shown = findings_at(findings, staged, paths.folder)
            raise AuditFailed(
                f"scrubbing left {len(findings)} secret/PHI hit(s); nothing was saved:\n  {shown}",
                hint=f"extend the scrub policy of adapter '{portal}' (scrub_policy.yaml)",
            )
        if paths.folder.exists():
            shutil.rmtree(paths.folder)
        paths.folder.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staged), str(paths.folder))
        return RecordOutcome(paths, True, scrubbed_golden)
    finally:
        shutil.rmtree(work, ignore_errors=True)

