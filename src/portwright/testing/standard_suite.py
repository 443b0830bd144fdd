"""The standard adapter test suite: small named checks any adapter gets for free.

As in the Singer SDK, each check is a small class with a ``name`` and one ``run``; the
suite is generated for an adapter by ``adapter_test_class(portal)``::

    # tests/<adapter>/test_standard_suite.py
    from portwright.testing.standard_suite import adapter_test_class

    TestValantStandardSuite = adapter_test_class("valant")

It checks, over the workspace's own files:

* ``flows_parse``: every flow of the portal parses (file:line errors otherwise);
* ``maps_parse``: every selector-map version of the portal loads (``extends`` resolved);
* ``flow_names_in_maps``: every logical name a flow uses exists in each map version the
  flow claims to support (``supports``, default: all versions);
* ``recording_replays``: every recording replays offline to its golden output;
* ``golden_validates``: every golden output's entities validate against the entity
  schemas (``portwright.entities``).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest
from playwright.async_api import Browser

from portwright.exceptions import PortwrightError
from portwright.recording.layout import RecordingPaths
from portwright.recording.replayer import ReplayOutcome, find_recordings, replay_many
from portwright.settings import Settings, load_settings

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
    """Every logical name a flow uses exists in each map version it supports.

    A flow may branch on what the page's map offers (a ``map_offers`` step, then ``if``
    on its variable): names inside such a branch belong to the versions that take it, so
    each of them must exist in at least one supported version rather than in all.
    """

    name = "flow_names_in_maps"

    def run(self, ctx: SuiteContext) -> None:
        from portwright.flow.loader import load_flow
        from portwright.selector_map.loader import load_portal_maps

        maps = load_portal_maps(ctx.settings.path("selectors") / ctx.portal)
        missing: list[str] = []
        for path in ctx.flow_files():
            flow = load_flow(path)
            versions = flow.supports or sorted(maps)
            unknown = [v for v in versions if v not in maps]
            missing.extend(f"{path}: supports unknown map version {v}" for v in unknown)
            branched = _version_branch_names(flow)
            for name in sorted(flow.selector_names()):
                holders = [v for v in versions if v in maps and name in maps[v].entries]
                if name in branched:
                    if not holders:
                        missing.append(f"{path}: '{name}' is in no map version "
                                       f"({', '.join(versions)})")
                    continue
                missing.extend(f"{path}: '{name}' is not in map {v}" for v in versions
                               if v in maps and v not in holders)
        assert not missing, "\n".join(missing)


def _version_branch_names(flow: Any) -> set[str]:
    """Names used under an ``if`` that tests a variable a ``map_offers`` step set."""
    offered = {getattr(step, "into", None) for step in flow.walk()
               if getattr(step, "action", None) == "map_offers"} - {None}
    names: set[str] = set()
    for step in flow.walk():
        condition = str(getattr(step, "condition", "") or "")
        if getattr(step, "action", None) != "if" or not any(
                re.search(rf"\b{re.escape(str(v))}\b", condition) for v in offered):
            continue
        stack = [child for _, children in step.children() for child in children]
        while stack:
            child = stack.pop()
            names.update(child.selector_names())
            stack.extend(c for _, cs in child.children() for c in cs)
    return names


class GoldenValidates(AdapterCheck):
    name = "golden_validates"

    def run(self, ctx: SuiteContext) -> None:
        for paths in ctx.recordings():
            self.check(ctx, paths)

    @staticmethod
    def check(ctx: SuiteContext, paths: RecordingPaths) -> None:
        from portwright.entities.registry import entity_model
        from portwright.flow.repository import FlowRepository

        golden = paths.load_golden()
        if "error" in golden:
            assert golden["error"].get("type"), f"{paths.golden}: error without a type"
            return
        flow = FlowRepository(ctx.settings.path("flows")).get(paths.flow)
        for name, spec in flow.outputs.items():
            if spec.entity is None:
                continue
            items = golden["outputs"].get(name, [])
            assert isinstance(items, list), f"{paths.golden}: output {name} is not a list"
            model = entity_model(spec.entity)
            for i, item in enumerate(items):
                try:
                    model.model_validate(item)
                except Exception as exc:
                    raise AssertionError(f"{paths.golden}: outputs.{name}[{i}] is not a valid "
                                         f"{spec.entity}: {exc}") from None


CHECKS: tuple[type[AdapterCheck], ...] = (FlowsParse, MapsParse, FlowNamesInMaps,
                                          GoldenValidates)


def _recording_ids(ctx: SuiteContext) -> Iterator[Any]:
    for paths in ctx.recordings():
        yield pytest.param(paths, id=f"{paths.flow}-{paths.ui_version}-{paths.scenario}")


def adapter_test_class(portal: str, settings: Settings | None = None) -> type:
    """A pytest test class running every standard check for ``portal``."""
    ctx = SuiteContext(portal, settings or load_settings())

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

    @pytest.mark.browser
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
