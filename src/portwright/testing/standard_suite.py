"""The standard adapter test suite: small named checks any adapter gets for free.

As in the Singer SDK, each check is a small class with a ``name`` and one ``run``; the
suite is generated for an adapter by ``adapter_test_class(portal)``::

    # tests/<adapter>/test_standard_suite.py
    from portwright.testing.standard_suite import adapter_test_class

    TestValantStandardSuite = adapter_test_class("valant")

It checks, over the workspace's own files:

* ``flows_parse``: every flow of the portal parses (file:line errors otherwise);
* ``maps_parse``: every selector-map version of the portal loads (``extends`` resolved);
* ``flow_names_in_maps``: every logical name a flow can reach exists in each map version
  the flow claims to support (``supports``, default: all versions); names in an ``if``
  branch a version's map rules out (``map_offers``) are not required of that version;
* ``recording_replays``: every recording replays offline to its golden output;
* ``golden_validates``: every golden output's entities validate against the entity
  schemas (``portwright.entities``, or the adapter's own entities it declares in
  ``entities``);
* ``recordings_current``: every recording was made with the flow version and against a
  selector-map version the workspace has now (:mod:`portwright.recording.staleness`).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import pytest
from playwright.async_api import Browser

from portwright.exceptions import PortwrightError
from portwright.recording.layout import RecordingPaths
from portwright.recording.replayer import ReplayOutcome, find_recordings, replay_many
from portwright.settings import Settings, load_settings
from portwright.testing.workspace import workspace_settings

if TYPE_CHECKING:
    from portwright.entities.base import EntityModel

__all__ = ["CHECKS", "AdapterCheck", "SuiteContext", "adapter_test_class"]


@dataclass(frozen=True)
class SuiteContext:
    """What every check may read: the portal name and the workspace settings."""

    portal: str
    settings: Settings

    def flow_files(self) -> list[Path]:
        folder = self.settings.path("flows") / self.portal
        return sorted(folder.glob("*.yaml")) if folder.is_dir() else []

    def recordings(self) -> list[RecordingPaths]:
        return [p for p in find_recordings(self.settings) if p.portal == self.portal]

    def entity_model(self, name: str) -> type[EntityModel]:
        """The entity a flow's output names: the engine's, or one the portal's adapter
        declares as its own (the adapter is loaded only for a name the engine lacks)."""
        from portwright.adapter import load_adapter
        from portwright.entities.registry import ENTITY_MODELS, adapter_entities, entity_model

        if name in ENTITY_MODELS:
            return ENTITY_MODELS[name]
        return entity_model(name, adapter_entities(load_adapter(self.portal)))


class AdapterCheck:
    """One named check; ``run`` raises ``AssertionError`` (or a portwright error)."""

    name: ClassVar[str] = ""

    def run(self, ctx: SuiteContext) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class FlowsParse(AdapterCheck):
    name = "flows_parse"

    def run(self, ctx: SuiteContext) -> None:
        from portwright.flow.loader import load_flow

        files = ctx.flow_files()
        assert files, f"no flows in {ctx.settings.path('flows') / ctx.portal}"
        for path in files:
            load_flow(path)


class MapsParse(AdapterCheck):
    name = "maps_parse"

    def run(self, ctx: SuiteContext) -> None:
        from portwright.selector_map.loader import load_portal_maps

        maps = load_portal_maps(ctx.settings.path("selectors") / ctx.portal)
        assert maps, f"no selector maps for {ctx.portal}"


class FlowNamesInMaps(AdapterCheck):
    """Every logical name a flow can reach exists in each map version it supports.

    A flow may branch on what the map offers (``if`` with ``map_offers``): a name inside a
    branch a version's map rules out is not required of that version (the engine's one
    rule, :mod:`portwright.flow.reachability`, which the runner follows too).
    """

    name = "flow_names_in_maps"

    def run(self, ctx: SuiteContext) -> None:
        from portwright.flow.loader import load_flow
        from portwright.flow.reachability import reachable_names
        from portwright.selector_map.loader import load_portal_maps

        maps = load_portal_maps(ctx.settings.path("selectors") / ctx.portal)
        missing: list[str] = []
        for path in ctx.flow_files():
            flow = load_flow(path)
            versions = flow.supports or sorted(maps)
            missing.extend(f"{path}: supports unknown map version {v}" for v in versions
                           if v not in maps)
            for version in (v for v in versions if v in maps):
                entries = maps[version].entries
                missing.extend(f"{path}: '{name}' is not in map {version}"
                               for name in sorted(reachable_names(flow, entries))
                               if name not in entries)
        assert not missing, "\n".join(missing)


class GoldenValidates(AdapterCheck):
    name = "golden_validates"

    def run(self, ctx: SuiteContext) -> None:
        # every golden is checked: the first bad one must not hide the others
        problems: list[str] = []
        for paths in ctx.recordings():
            try:
                self.check(ctx, paths)
            except (AssertionError, PortwrightError) as exc:
                problems.append(str(exc).splitlines()[0] if isinstance(exc, PortwrightError)
                                else str(exc))
        assert not problems, "\n".join(problems)

    @staticmethod
    def check(ctx: SuiteContext, paths: RecordingPaths) -> None:
        from portwright.flow.repository import shared_repository

        golden = paths.load_golden()
        if "error" in golden:
            assert golden["error"].get("type"), f"{paths.golden}: error without a type"
            return
        flow = shared_repository(ctx.settings.path("flows")).get(paths.flow)
        unknown = sorted(set(golden["outputs"]) - set(flow.outputs))
        assert not unknown, (
            f"{paths.golden}: outputs {', '.join(unknown)} are not outputs of {paths.flow} "
            f"(it declares {', '.join(sorted(flow.outputs)) or 'none'}): the golden file of "
            "another flow? restore it from version control, or re-record the scenario")
        for name, spec in flow.outputs.items():
            if spec.entity is None:
                continue
            items = golden["outputs"].get(name, [])
            assert isinstance(items, list), f"{paths.golden}: output {name} is not a list"
            model = ctx.entity_model(spec.entity)
            for i, item in enumerate(items):
                try:
                    model.model_validate(item)
                except Exception as exc:
                    raise AssertionError(f"{paths.golden}: outputs.{name}[{i}] is not a valid "
                                         f"{spec.entity}: {exc}") from None


class RecordingsCurrent(AdapterCheck):
    """Every recording is of the flow version and a map version the workspace has now:
    a stale one would replay green while testing a flow that no longer exists."""

    name = "recordings_current"

    def run(self, ctx: SuiteContext) -> None:
        from portwright.recording.staleness import workspace_stale_reasons

        stale: list[str] = []
        damaged: list[str] = []
        for paths in ctx.recordings():
            # every recording is looked at: the first damaged one must not hide the rest
            try:
                reasons = workspace_stale_reasons(ctx.settings, paths)
            except PortwrightError as exc:
                damaged.append(str(exc).splitlines()[0])
                continue
            if reasons:
                stale.append(f"{paths.folder}: " + "; ".join(reasons))
        problems = (["damaged recordings:\n" + "\n".join(damaged)] if damaged else []) + \
            (["stale recordings:\n" + "\n".join(stale)] if stale else [])
        assert not problems, "\n".join(problems)


CHECKS: tuple[type[AdapterCheck], ...] = (FlowsParse, MapsParse, FlowNamesInMaps,
                                          GoldenValidates, RecordingsCurrent)


def _recording_ids(ctx: SuiteContext) -> Iterator[Any]:
    for paths in ctx.recordings():
        yield pytest.param(paths, id=f"{paths.flow}-{paths.ui_version}-{paths.scenario}")


def adapter_test_class(portal: str, settings: Settings | None = None) -> type:
    """A pytest test class running every standard check for ``portal``.

    Without ``settings``, it checks the workspace around the calling test module (not
    around the current folder, which may be anywhere), and refuses to be built where
    there is none: the checks would otherwise pass on no files at all.
    """
    if settings is None:
        caller = sys._getframe(1).f_globals.get("__file__")
        settings = workspace_settings(Path(caller)) if caller else load_settings()
    ctx = SuiteContext(portal, settings)

    def make(check: type[AdapterCheck]) -> Any:
        def test(self: Any) -> None:
            check().run(ctx)

        test.__name__ = f"test_{check.name}"
        test.__doc__ = check.__doc__ or f"standard check {check.name}"
        return test

    recordings = list(_recording_ids(ctx))
    outcomes: dict[Path, ReplayOutcome | PortwrightError] = {}
    lock = asyncio.Lock()

    async def outcome_of(recording: RecordingPaths, browser: Browser
                         ) -> ReplayOutcome | PortwrightError:
        # all recordings are replayed together on the first call (several at a time);
        # each parametrized test then reports its own
        async with lock:
            if not outcomes:
                outcomes.update(await replay_many(ctx.recordings(), settings=ctx.settings,
                                                  browser=browser))
        return outcomes[recording.folder]

    # marked explicitly: the adapter's project may not set pytest-asyncio's auto mode;
    # the loop is the session's, which the shared ``browser`` fixture lives in
    @pytest.mark.browser
    @pytest.mark.asyncio(loop_scope="session")
    @pytest.mark.parametrize("recording", recordings or [pytest.param(None, id="none")])
    async def test_recording_replays(self: Any, recording: RecordingPaths | None,
                                     browser: Browser) -> None:
        """Every recording replays offline to its golden output."""
        assert recording is not None, f"no recordings of {portal} under " \
            f"{ctx.settings.path('recordings')}"
        outcome = await outcome_of(recording, browser)
        if isinstance(outcome, PortwrightError):
            raise outcome
        outcome.assert_matches()

    namespace: dict[str, Any] = {f"test_{c.name}": make(c) for c in CHECKS}
    namespace["test_recording_replays"] = test_recording_replays
    namespace["context"] = ctx
    return type(f"Test{portal.capitalize()}StandardSuite", (), namespace)
