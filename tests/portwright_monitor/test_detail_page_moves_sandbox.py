"""A detail page's names read each from the other's element, on the Valant sandbox against
the repository's committed ``valant.patients.get`` recording (scrubbed: the names are
pseudonyms).

The run succeeds and both names are words as before, so no kind changed; with one record
``field_values_moved`` never judged (it needed 3), and the canary reported the drifted
map healthy. The one record, the baseline's own, now shows the two names exchanged: that
is reported, name by name, and the exchange it proposes ends the drift."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from portwright_monitor.cli import app
from portwright_valant.testing import SandboxHandle

pytestmark = pytest.mark.browser

FLOW = "valant.patients.get"


def test_names_exchanged_on_the_one_patient_are_moved_values_and_the_fix_ends_it(
        sandbox_2025: SandboxHandle, valant_workspace: Callable[..., Path],
        recorded_inputs: Callable[..., dict[str, Any]]) -> None:
    ws = valant_workspace(flows=(FLOW,))
    patient_id = recorded_inputs(ws, FLOW)["patient_id"]
    map_file = ws / "selectors" / "valant" / "2025.4.yaml"
    first = '  chart.first_name: [{css: "#demo-first-name"}]\n'
    last = '  chart.last_name: [{css: "#demo-last-name"}]\n'
    text = map_file.read_text()
    assert text.count(first) == 1 and text.count(last) == 1
    map_file.write_text(text.replace(first, first.replace("first-name", "last-name"))
                        .replace(last, last.replace("last-name", "first-name")))

    def canary(*extra: str) -> tuple[int, str, list[dict[str, Any]]]:
        result = CliRunner().invoke(app, [
            "canary", "valant", "--portal-url", sandbox_2025.url, "--flow", FLOW,
            "--input", f"{FLOW}:patient_id={patient_id}", "--report", "drift.json", *extra],
            env={"COLUMNS": "250"})
        [check] = json.loads(Path("drift.json").read_text())["flows"]
        assert check["records"] == {"Patient": 1}, result.output
        return result.exit_code, result.output, check["findings"]

    code, output, findings = canary("--propose", "fix.yaml")
    assert code == 1, output
    assert {(f["severity"], f["kind"], f["subject"], f["now_holds"], f["reads"])
            for f in findings} == {
        ("drift", "field_values_moved", "Patient.firstName", "Patient.lastName",
         "chart.first_name"),
        ("drift", "field_values_moved", "Patient.lastName", "Patient.firstName",
         "chart.last_name")}
    assert "the live record, the baseline's own, has Patient.lastName's value in it" \
        in output
    [golden_file] = ws.glob("recordings/valant/patients.get/2025.4/*/golden.json")
    golden = json.loads(golden_file.read_text())["outputs"]["Patient"]
    for name in (golden[0]["firstName"], golden[0]["lastName"]):   # names, never values
        assert name not in output and name not in Path("drift.json").read_text()

    (ws / "fix.yaml").replace(map_file)
    code, output, findings = canary()
    assert (code, findings) == (0, []), output
