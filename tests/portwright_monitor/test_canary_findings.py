"""How a run's resolution log becomes canary findings (no browser: the run is given)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from portwright.runner.result import ResolutionRecord, RunResult
from portwright_monitor import canary
from portwright_monitor.baseline import BaselineLookup
from portwright_monitor.canary import run_canary


class GivenRun:
    """An engine whose one run returns ``result``."""

    settings = None

    def __init__(self, result: RunResult) -> None:
        self.result = result

    async def run(self, flow: str, inputs: dict[str, Any], **_: Any) -> RunResult:
        return self.result


def resolution(name: str, outcome: str, index: int | None, strategy: str | None
               ) -> ResolutionRecord:
    return ResolutionRecord.model_validate({
        "name": name, "strategy": strategy, "index": index, "count": 0 if outcome in (
            "invalid", "missing") else 1, "ms": 1.0, "outcome": outcome,
        "url": "http://127.0.0.1/tasks/new"})


async def test_an_invalid_resolution_in_a_run_that_went_on_is_a_failed_finding(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(canary, "find_baseline", lambda *args: BaselineLookup(None))
    result = RunResult(
        flow="valant.tasks.x", flow_version=1, portal="valant", portal_version="2026.1",
        selector_map_version="2026.1", started_at=datetime.now(UTC), ms=10.0,
        resolutions=[resolution("tasks.form.due", "primary", 0, 'label="Due"'),
                     resolution("tasks.form.due", "invalid", 1, "css=input[name=due"),
                     resolution("tasks.form.title", "fallback", 1, "css=#title")])
    report = await run_canary(GivenRun(result), "valant",  # type: ignore[arg-type]
                              "http://127.0.0.1", ["valant.tasks.x"])
    findings = {f.subject: f for f in report.findings}
    due = findings["tasks.form.due"]
    assert (due.severity, due.kind, due.strategy, due.strategy_index) == (
        "failed", "invalid", "css=input[name=due", 1)
    assert due.detail.startswith("strategy 2, css=input[name=due, is not a valid selector")
    assert (findings["tasks.form.title"].severity, findings["tasks.form.title"].kind) == (
        "drift", "fallback")
    assert not report.healthy
    assert report.summary()[0].startswith("failed   valant.tasks.x")
