"""Nothing a canary job leaves behind holds patient data or a secret.

A drift job's outputs travel: its printout lands in the scheduler's log, its JSON report
and proposed map in an alert or a ticket, a failed run's screenshot and step log with
them. So the canary is run against the Valant sandbox as such a job runs it, on the pages
that show patients (a chart, a search by name, by MRN, by date of birth), once healthy
(signed in with a password and a TOTP seed) and once against a drifted map (a fallback,
a chart field read from the wrong element, a list column renamed: both flows fail on a
patient's page). Then every file it wrote and every line it printed is searched for the
sandbox's planted values (``planted_values()``: names, MRNs, dates of birth in every
notation, emails, phones, passwords, TOTP seeds), and each failure screenshot is checked
to show no glyph: the masked picture is flat boxes of a few colours, while the same
failure taken with ``artifact_privacy = "full"`` (the control) is full of anti-aliased
text.

No leak was found when this was written: it guards the monitor's outputs as they grow.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser
from typer.testing import CliRunner

from portwright.recording.planted_match import (
    find_planted,
    find_planted_dates,
    planted_dates,
    planted_patterns,
)
from portwright_monitor.cli import app
from portwright_valant.recording_hooks import planted_values
from portwright_valant.sandbox.auth.accounts import account as seeded_account
from portwright_valant.testing import DEV_ACCOUNT, SandboxHandle

pytestmark = pytest.mark.browser

GET, LIST = "valant.patients.get", "valant.patients.list"

#: what the drifted map changes: (line in the 2025.4 map, line instead)
DRIFT = [
    # the phone's element was renamed: found only by the fallback (drift, proposed)
    ('  chart.phone: [{css: "#contact-phone"}]',
     '  chart.phone: [{css: "#contact-phone-new"}, {css: "#contact-phone"}]'),
    # the birth date is read from the MRN's element: the chart's record is invalid
    ('  chart.dob: [{css: "#demo-dob"}]', '  chart.dob: [{css: "#demo-mrn"}]'),
    # the list's MRN column lost its class: the search's rows cannot be read
    ('  patients.row.mrn: [{css: "td.col-mrn"}]', '  patients.row.mrn: [{css: "td.col-mrn-x"}]'),
]

#: the distinct colours of a picture, counted by the browser's own PNG decoder
_COLOURS = """async (src) => {
  const img = new Image(); img.src = src; await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.width; canvas.height = img.height;
  const g = canvas.getContext('2d'); g.drawImage(img, 0, 0);
  const data = g.getImageData(0, 0, canvas.width, canvas.height).data;
  const seen = new Set();
  for (let i = 0; i < data.length; i += 4)
    seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
  return seen.size;
}"""
#: a masked page is flat boxes, borders and backgrounds (the sandbox's: 4 to 25
#: colours); rendered text is anti-aliased into hundreds of shades (the sandbox's chart
#: and list: 900 and more)
FLAT, TEXT = 64, 300


def _leaks(text: str) -> list[tuple[str, str]]:
    """(label, matched text) of every planted value in ``text``, in any notation."""
    planted = planted_values()
    found = [*find_planted(text, planted_patterns(planted)),
             *find_planted_dates(text, planted_dates(planted))]
    return [(label, matched) for _, label, matched in found]


async def _colours(browser: Browser, png: Path) -> int:
    page = await browser.new_page()
    try:
        count: int = await page.evaluate(
            _COLOURS, "data:image/png;base64," + base64.b64encode(png.read_bytes()).decode())
        return count
    finally:
        await page.close()


def _sign_in_as(monkeypatch: pytest.MonkeyPatch, username: str) -> None:
    known = seeded_account(username)
    monkeypatch.setenv("PORTWRIGHT_SECRET_VALANT_USERNAME", username)
    monkeypatch.setenv("PORTWRIGHT_SECRET_VALANT_PASSWORD", known.password or "")
    if known.totp_secret:
        monkeypatch.setenv("PORTWRIGHT_SECRET_VALANT_TOTP_SECRET", known.totp_secret)
    else:
        monkeypatch.delenv("PORTWRIGHT_SECRET_VALANT_TOTP_SECRET", raising=False)


async def _canary(url: str, *options: str) -> tuple[int, str]:
    """The CLI as a job runs it (in a thread: it runs its own event loop); its exit code
    and all it printed, errors included."""
    result = await asyncio.to_thread(
        CliRunner().invoke, app, ["canary", "valant", "--portal-url", url, *options],
        env={"COLUMNS": "250"})
    return result.exit_code, result.output


async def test_no_report_printout_proposal_log_or_screenshot_shows_a_patient_or_secret(
        sandbox_2025: SandboxHandle, browser: Browser, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, valant_workspace: Callable[..., Path],
        recorded_inputs: Callable[..., dict[str, Any]]) -> None:
    ws = valant_workspace(flows=(GET, LIST), account=None)   # each run signs in its own
    patient_id = recorded_inputs(ws, GET)["patient_id"]
    first, last, mrn, dob = sandbox_2025.query(
        "SELECT first_name, last_name, mrn, dob FROM patients ORDER BY id LIMIT 1")[0]
    searches = {"name": f"{first} {last}", "mrn": mrn, "dob": dob}
    # the search is able to see what it looks for (the sandbox is the planted seed)
    assert all(_leaks(value) for value in searches.values())
    admin = seeded_account("admin")
    assert admin.totp_secret and _leaks(f"{admin.password} {admin.totp_secret}")
    printed: list[str] = []

    # healthy, signed in with a password and a TOTP seed
    _sign_in_as(monkeypatch, "admin")
    code, output = await _canary(
        sandbox_2025.url, "--flow", GET, "--input", f"{GET}:patient_id={patient_id}",
        "--flow", LIST, "--input", f"{LIST}:query={searches['name']}",
        "--report", "healthy.json", "--propose", "healthy-fix.yaml")
    printed.append(output)
    assert code == 0, output
    healthy = json.loads((ws / "healthy.json").read_text())["flows"]
    assert [check["records"].get("Patient", 0) >= 1 for check in healthy] == [True, True]

    # drifted: every run fails on a page that shows a patient
    _sign_in_as(monkeypatch, DEV_ACCOUNT[0])
    map_file = ws / "selectors" / "valant" / "2025.4.yaml"
    text = map_file.read_text()
    for before, after in DRIFT:
        assert text.count(before) == 1, before
        text = text.replace(before, after)
    map_file.write_text(text)
    reports = []
    for searched in ("mrn", "dob"):
        code, output = await _canary(
            sandbox_2025.url, "--flow", GET, "--input", f"{GET}:patient_id={patient_id}",
            "--flow", LIST, "--input", f"{LIST}:query={searches[searched]}",
            "--report", f"drift-{searched}.json", "--propose", f"fix-{searched}.yaml")
        printed.append(output)
        assert code == 1, output
        reports.append(json.loads((ws / f"drift-{searched}.json").read_text())["flows"])
    for got, listed in reports:
        # what drifted, and where: by logical name, step and map version
        assert {(f["kind"], f["subject"], f["reads"]) for f in got["findings"]} == {
            ("run_failed", "Patient.dob", "chart.dob"), ("fallback", "chart.phone", None)}, got
        assert "record 0 is not a valid Patient: dob:" in got["findings"][0]["detail"]
        [failed] = listed["findings"]
        assert (failed["kind"], failed["subject"], failed["map_version"]) == (
            "run_failed", "patients.row.mrn", "2025.4"), failed
        assert "css=td.col-mrn-x" in failed["strategy"]
        assert len(got["artifacts"]) == len(listed["artifacts"]) == 2
    assert "proposed: chart.phone: css=#contact-phone" in printed[-1]

    # every file the canary wrote (reports, proposals, failure artifacts) and every line
    # it printed: no planted value in any notation
    inputs = {ws / "portwright.toml", *(ws / "selectors").rglob("*"),
              *(ws / "recordings").rglob("*"), map_file}
    written = [f for f in ws.rglob("*") if f.is_file() and f not in inputs]
    shots = [f for f in written if f.suffix == ".png"]
    texts = [f for f in written if f.suffix != ".png"]
    assert {f.name for f in texts} >= {"healthy.json", "drift-mrn.json", "drift-dob.json",
                                       "fix-mrn.yaml", "steps.jsonl"}
    assert len(shots) == 4 and {f.name for f in shots} == {"failure.png"}
    leaks = {str(f.relative_to(ws)): _leaks(f.read_text(encoding="utf-8")) for f in texts}
    leaks.update({f"printout {i}": _leaks(output) for i, output in enumerate(printed)})
    assert {where: found for where, found in leaks.items() if found} == {}
    for shot in shots:
        assert await _colours(browser, shot) <= FLAT, shot

    # the control: the same failures with the page kept as it is do show its text
    settings = ws / "portwright.toml"
    settings.write_text(
        settings.read_text() + f'artifact_privacy = "full"\nartifacts = "{tmp_path}/full"\n')
    code, output = await _canary(
        sandbox_2025.url, "--flow", GET, "--input", f"{GET}:patient_id={patient_id}",
        "--flow", LIST, "--input", f"{LIST}:query={searches['mrn']}")
    assert code == 1, output
    full = sorted((tmp_path / "full").rglob("failure.png"))
    assert len(full) == 2
    for shot in full:
        assert await _colours(browser, shot) >= TEXT, shot
