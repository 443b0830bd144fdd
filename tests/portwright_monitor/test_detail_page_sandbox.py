"""Detail-page flows of the Valant sandbox against the repository's committed recordings
(scrubbed: the patient's names and contacts are pseudonyms): the one record a flow reads
is recognised as the baseline's through the recorder's scrubbing, so an unchanged portal
is healthy, and a field whose element is gone from the page is reported by name."""

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

#: detail flows (and a list of one remittance with its downloaded file), each run with
#: the one input of its recording
FLOWS = {"valant.patients.get": "patient_id", "valant.claims.get": "claim_id",
         "valant.remittances.list": "trace_number"}


@pytest.fixture
def ws(valant_workspace: Callable[..., Path]) -> Path:
    """The Valant workspace with the 2025.4 recordings of the detail flows; devadmin's
    credentials."""
    return valant_workspace(flows=tuple(FLOWS))


@pytest.fixture
def canary(ws: Path, recorded_inputs: Callable[..., dict[str, Any]],
           ) -> Callable[[str], tuple[int, str, list[dict[str, Any]]]]:
    """The flows, each with its recording's inputs, against the portal at a URL."""
    args = []
    for flow, key in FLOWS.items():
        args += ["--flow", flow, "--input", f"{flow}:{key}={recorded_inputs(ws, flow)[key]}"]

    def run(url: str) -> tuple[int, str, list[dict[str, Any]]]:
        result = CliRunner().invoke(app, ["canary", "valant", "--portal-url", url, *args,
                                          "--report", str(ws / "drift.json")],
                                    env={"COLUMNS": "250"})
        flows: list[dict[str, Any]] = json.loads((ws / "drift.json").read_text())["flows"]
        return result.exit_code, result.output, flows
    return run


def test_unchanged_detail_pages_are_healthy(
        sandbox_2025: SandboxHandle,
        canary: Callable[[str], tuple[int, str, list[dict[str, Any]]]]) -> None:
    """Each one record is recognised as its baseline's (through the pseudonyms), so
    nothing is reported: no drift, and no record left uncompared. A downloaded file's
    size is no field to compare: the golden keeps no size (it read as text there, and a
    number live was reported as a column that moved)."""
    code, output, flows = canary(sandbox_2025.url)
    assert code == 0, output
    assert [(f["records"], f["findings"]) for f in flows] == [
        ({"Patient": 1}, []), ({"Claim": 1, "status": 1}, []),
        ({"Remittance": 1, "files": 1}, [])]


def test_a_field_gone_from_a_detail_page_is_emptied_with_its_selector_name(
        sandbox_2025: SandboxHandle, ws: Path,
        canary: Callable[[str], tuple[int, str, list[dict[str, Any]]]]) -> None:
    """The chart's email and the claim's payer claim number are no longer where the map
    looks (both optional: the runs succeed). The claim's adjudication (one record, not
    a list) was never compared; the patient's email was, but by no selector name (read
    by a called flow, into a nested field)."""
    map_file = ws / "selectors" / "valant" / "2025.4.yaml"
    text = map_file.read_text()
    for before, after in (("#claim-payer-number", "#claim-payer-no"),
                          ("#contact-email", "#contact-mail")):
        assert text.count(before) == 1
        text = text.replace(before, after)
    map_file.write_text(text)
    code, output, flows = canary(sandbox_2025.url)
    assert code == 1, output
    found = {(f["severity"], f["kind"], f["subject"], f["reads"])
             for flow in flows for f in flow["findings"]}
    assert found == {("drift", "field_emptied", "Patient.contact.email", "chart.email"),
                     ("drift", "field_emptied", "status.payerClaimNumber",
                      "claim.payer_claim_number")}
    assert "empty in the live record, the baseline's own (2025.4/denied)" in output
