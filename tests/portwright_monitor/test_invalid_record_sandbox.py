"""A selector that now reads another element, so the record fails its entity's
validation: on the Valant sandbox, ``chart.dob`` reading the MRN's element.

The run fails at its ``emit`` step before any output exists, so none of the field checks
can run. The canary used to report a ``run_failed`` at that step with no subject, leaving
a person to dig the field out of the message. The step's error now carries the failed
fields (``EntityInvalid.fields``, never their values), and the finding names the field
and the logical name it is read through."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from portwright.engine import Engine
from portwright.exceptions import EntityInvalid
from portwright.settings import load_settings
from portwright_monitor.cli import app
from portwright_valant.testing import SandboxHandle

pytestmark = pytest.mark.browser

FLOW = "valant.patients.get"


@pytest.fixture
def drifted(valant_workspace: Callable[..., Path],
            recorded_inputs: Callable[..., dict[str, Any]]) -> tuple[Path, str]:
    """A workspace whose 2025.4 map reads the birth date from the MRN's element, and the
    patient id the committed recording opened."""
    ws = valant_workspace(flows=(FLOW,))
    map_file = ws / "selectors" / "valant" / "2025.4.yaml"
    dob = '  chart.dob: [{css: "#demo-dob"}]\n'
    text = map_file.read_text()
    assert text.count(dob) == 1
    map_file.write_text(text.replace(dob, dob.replace("#demo-dob", "#demo-mrn")))
    patient_id: str = recorded_inputs(ws, FLOW)["patient_id"]
    return ws, patient_id


async def test_the_step_error_names_the_entity_and_the_failed_field_without_its_value(
        sandbox_2025: SandboxHandle, drifted: tuple[Path, str], browser: object) -> None:
    ws, patient_id = drifted
    engine = Engine(load_settings(ws), browser=browser,  # type: ignore[arg-type]
                    portal_urls={"valant": sandbox_2025.url})
    try:
        with pytest.raises(EntityInvalid) as info:
            await engine.run(FLOW, {"patient_id": patient_id})
    finally:
        await engine.close()
    assert (info.value.entity, info.value.fields) == ("Patient", ("dob",))
    assert "MRN-" not in str(info.value)


def test_the_canary_names_the_field_and_the_name_that_reads_it(
        sandbox_2025: SandboxHandle, drifted: tuple[Path, str]) -> None:
    ws, patient_id = drifted
    result = CliRunner().invoke(app, [
        "canary", "valant", "--portal-url", sandbox_2025.url, "--flow", FLOW,
        "--input", f"{FLOW}:patient_id={patient_id}", "--report", "drift.json"],
        env={"COLUMNS": "250"})
    assert result.exit_code == 1, result.output
    [check] = json.loads((ws / "drift.json").read_text())["flows"]
    [failed] = [f for f in check["findings"] if f["kind"] == "run_failed"]
    assert (failed["subject"], failed["reads"], failed["map_version"]) == (
        "Patient.dob", "chart.dob", "2025.4")
    assert "is not a valid Patient" in failed["detail"]
    assert "MRN-" not in (ws / "drift.json").read_text() and "MRN-" not in result.output
