"""Two canary flows that read the same page report the same fallback; the proposed fix
moves its working strategy first once, and applying it ends the drift.

``valant.patients.get`` and ``valant.patients.list`` both read the patient chart (through
``valant.patients.chart``). With the chart's phone found only by its fallback, each flow
reported it, and the proposal moved the strategy first once per flow: back where it was.
The file written was the drifted map itself, announced as "2 change(s)"; a person who
moved it into place kept the drift."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from portwright_monitor.cli import _one_per_name, app
from portwright_monitor.report import Finding
from portwright_valant.testing import SandboxHandle

pytestmark = pytest.mark.browser

GET, LIST = "valant.patients.get", "valant.patients.list"
PHONE = '  chart.phone: [{css: "#contact-phone"}]\n'


def test_a_fallback_seen_by_two_flows_is_proposed_once_and_the_fix_ends_it(
        sandbox_2025: SandboxHandle, valant_workspace: Callable[..., Path],
        recorded_inputs: Callable[..., dict[str, Any]]) -> None:
    ws = valant_workspace(flows=(GET, LIST))
    map_file = ws / "selectors" / "valant" / "2025.4.yaml"
    text = map_file.read_text()
    assert text.count(PHONE) == 1
    # the phone's element was renamed in the map's eyes: the first strategy finds nothing
    map_file.write_text(text.replace(
        PHONE, '  chart.phone: [{css: "#contact-phone-new"}, {css: "#contact-phone"}]\n'))
    inputs = [f"{GET}:patient_id={recorded_inputs(ws, GET)['patient_id']}",
              *(f"{LIST}:{key}={value}" for key, value in recorded_inputs(ws, LIST).items())]

    def canary(*extra: str) -> tuple[int, str, list[dict[str, Any]]]:
        options = [item for given in inputs for item in ("--input", given)]
        result = CliRunner().invoke(app, [
            "canary", "valant", "--portal-url", sandbox_2025.url, "--flow", GET,
            "--flow", LIST, *options, "--report", "drift.json", *extra],
            env={"COLUMNS": "250"})
        flows = json.loads(Path("drift.json").read_text())["flows"]
        return result.exit_code, result.output, flows

    code, output, flows = canary("--propose", "fix.yaml")
    assert code == 1, output
    assert [[(f["kind"], f["subject"], f["strategy_index"]) for f in check["findings"]]
            for check in flows] == [[("fallback", "chart.phone", 1)]] * 2, output
    proposed = YAML(typ="safe").load((ws / "fix.yaml").read_text())
    assert proposed["selectors"]["chart.phone"] == [{"css": "#contact-phone"},
                                                     {"css": "#contact-phone-new"}]
    assert output.count("proposed: chart.phone:") == 1, output
    assert "(1 change(s);" in output

    (ws / "fix.yaml").replace(map_file)
    code, output, flows = canary()
    assert (code, [check["findings"] for check in flows]) == (0, [[], []]), output


def test_a_name_found_by_different_strategies_in_two_flows_is_left_to_a_person(
        capsys: pytest.CaptureFixture[str]) -> None:
    """No one strategy found it everywhere: moving either first would break the other
    page, so neither is proposed, and the line says which strategies were seen."""
    def fallback(flow: str, index: int) -> Finding:
        return Finding(severity="drift", kind="fallback", flow=flow, subject="chart.phone",
                       detail="found only by a later strategy", strategy=f"css=#p{index}",
                       strategy_index=index, map_version="2025.4")

    assert _one_per_name([fallback(GET, 1), fallback(LIST, 1)]) == [fallback(GET, 1)]
    assert _one_per_name([fallback(GET, 1), fallback(LIST, 2)]) == []
    assert "by hand: chart.phone: found by different strategies in different flows " \
        "(css=#p1; css=#p2; map 2025.4)" in capsys.readouterr().out
