"""A canary flow's baseline is the recording of the same inputs, though the recorder
scrubbed them: a patient's MRN typed into the search is committed as its pseudonym.

Recorded from the Valant sandbox by ``portwright record`` into a fresh workspace (so the
test knows the real MRN the scrubbed recording stands for), then run live by the canary
with that real MRN: it compared the real MRN with the pseudonym, found no baseline for
any flow with a PHI input, and so could report no field drift on it at all."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from portwright.cli.app import app as portwright_app
from portwright_monitor.cli import app
from portwright_valant.testing import SandboxHandle

pytestmark = pytest.mark.browser

FLOW = "valant.patients.list"


def canary(handle: SandboxHandle, *options: str) -> tuple[int, str, dict[str, Any]]:
    result = CliRunner().invoke(app, [
        "canary", "valant", "--portal-url", handle.url, *options, "--report", "drift.json"],
        env={"COLUMNS": "250"})
    return result.exit_code, result.output, json.loads(Path("drift.json").read_text())


def test_a_recording_of_a_scrubbed_phi_input_is_the_baseline_of_the_real_input(
        sandbox_2026: SandboxHandle, valant_workspace: Callable[..., Path]) -> None:
    ws = valant_workspace(settings='artifacts = "out"\n')   # no recording: made here
    # two patients of the sandbox, each found alone by their MRN (no MRN starts another)
    mrns = [row["mrn"] for row in sandbox_2026.query(
        "SELECT mrn FROM patients p WHERE NOT EXISTS (SELECT 1 FROM patients o "
        "WHERE o.mrn LIKE p.mrn || '_%') ORDER BY id LIMIT 2")]
    mrn, other = mrns

    recorded = CliRunner().invoke(portwright_app, [
        "record", FLOW, "--portal-url", sandbox_2026.url, "--input", f"query={mrn}",
        "--scenario", "one-mrn", "--record-mode", "all"])
    assert recorded.exit_code == 0, recorded.output
    [meta] = ws.glob("recordings/valant/patients.list/2026.1/one-mrn/meta.json")
    committed = json.loads(meta.read_text())["inputs"]["query"]
    assert committed and committed != mrn   # the premise: the MRN was pseudonymized

    code, output, report = canary(sandbox_2026, "--flow", FLOW, "--input",
                                  f"{FLOW}:query={mrn}")
    [check] = report["flows"]
    assert check["baseline"] == "2026.1/one-mrn", output
    assert check["records"] == {"Patient": 1}
    assert (code, check["findings"]) == (0, []), output   # the same patient, unchanged

    # no baseline, and why: another patient's MRN; a flow never recorded here
    code, output, report = canary(sandbox_2026, "--flow", FLOW, "--flow",
                                  "valant.providers.list", "--input", f"{FLOW}:query={other}")
    patients, providers = report["flows"]
    assert patients["baseline"] is None and providers["baseline"] is None
    assert patients["baseline_missing"] == \
        f"none of the recordings of {FLOW} (2026.1/one-mrn) has these inputs"
    assert providers["baseline_missing"] == "no recording of valant.providers.list"
    assert f"; no baseline: none of the recordings of {FLOW} (2026.1/one-mrn) has these " \
        "inputs)" in output
    assert "; no baseline: no recording of valant.providers.list)" in output
    for text in (output, json.dumps(report)):   # names, never the inputs' values
        assert mrn not in text and other not in text and committed not in text
