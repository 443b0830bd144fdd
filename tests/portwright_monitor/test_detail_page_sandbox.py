"""Detail-page flows of the Valant sandbox against the repository's committed recordings
(scrubbed: the patient's names and contacts are pseudonyms): the one record a flow reads
is recognised as the baseline's through the recorder's scrubbing, so an unchanged portal
is healthy, and a field whose element is gone from the page is reported by name."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from portwright_monitor.cli import app
from portwright_valant.testing import DEV_ACCOUNT, SandboxHandle

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
#: detail flows (and a list of one remittance with its downloaded file), each run with
#: the one input of its recording
FLOWS = {"valant.patients.get": "patient_id", "valant.claims.get": "claim_id",
         "valant.remittances.list": "trace_number"}


def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The repository's flows, a copy of its maps and of the 2025.4 recordings of the
    detail flows; devadmin's credentials."""
    ws = tmp_path / "ws"
    shutil.copytree(ROOT / "selectors" / "valant", ws / "selectors" / "valant")
    for flow in FLOWS:
        name = flow.removeprefix("valant.")
        shutil.copytree(ROOT / "recordings" / "valant" / name / "2025.4",
                        ws / "recordings" / "valant" / name / "2025.4")
    (ws / "portwright.toml").write_text(f'flows = "{ROOT / "flows"}"\n')
    monkeypatch.chdir(ws)
    monkeypatch.setenv("PORTWRIGHT_STATE", str(tmp_path / "state"))
    monkeypatch.setenv("PORTWRIGHT_SECRET_VALANT_USERNAME", DEV_ACCOUNT[0])
    monkeypatch.setenv("PORTWRIGHT_SECRET_VALANT_PASSWORD", DEV_ACCOUNT[1])
    return ws


def canary(ws: Path, url: str) -> tuple[int, str, list[dict[str, Any]]]:
    """Both flows, each with its recording's inputs."""
    args = []
    for flow, key in FLOWS.items():
        recording = next((ws / "recordings" / "valant" / flow.removeprefix("valant.")
                          / "2025.4").iterdir())
        value = json.loads((recording / "meta.json").read_text())["inputs"][key]
        args += ["--flow", flow, "--input", f"{flow}:{key}={value}"]
    result = CliRunner().invoke(app, ["canary", "valant", "--portal-url", url, *args,
                                      "--report", str(ws / "drift.json")],
                                env={"COLUMNS": "250"})
    return result.exit_code, result.output, json.loads((ws / "drift.json").read_text())["flows"]


def test_unchanged_detail_pages_are_healthy(
        sandbox_2025: SandboxHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each one record is recognised as its baseline's (through the pseudonyms), so
    nothing is reported: no drift, and no record left uncompared. A downloaded file's
    size is no field to compare: the golden keeps no size (it read as text there, and a
    number live was reported as a column that moved)."""
    ws = workspace(tmp_path, monkeypatch)
    code, output, flows = canary(ws, sandbox_2025.url)
    assert code == 0, output
    assert [(f["records"], f["findings"]) for f in flows] == [
        ({"Patient": 1}, []), ({"Claim": 1, "status": 1}, []),
        ({"Remittance": 1, "files": 1}, [])]


def test_a_field_gone_from_a_detail_page_is_emptied_with_its_selector_name(
        sandbox_2025: SandboxHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The chart's email and the claim's payer claim number are no longer where the map
    looks (both optional: the runs succeed). The claim's adjudication (one record, not
    a list) was never compared; the patient's email was, but by no selector name (read
    by a called flow, into a nested field)."""
    ws = workspace(tmp_path, monkeypatch)
    map_file = ws / "selectors" / "valant" / "2025.4.yaml"
    text = map_file.read_text()
    for before, after in (("#claim-payer-number", "#claim-payer-no"),
                          ("#contact-email", "#contact-mail")):
        assert text.count(before) == 1
        text = text.replace(before, after)
    map_file.write_text(text)
    code, output, flows = canary(ws, sandbox_2025.url)
    assert code == 1, output
    found = {(f["severity"], f["kind"], f["subject"], f["reads"])
             for flow in flows for f in flow["findings"]}
    assert found == {("drift", "field_emptied", "Patient.contact.email", "chart.email"),
                     ("drift", "field_emptied", "status.payerClaimNumber",
                      "claim.payer_claim_number")}
    assert "empty in the live record, the baseline's own (2025.4/denied)" in output
