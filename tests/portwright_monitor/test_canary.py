"""``portwright-monitor canary`` against the sandbox: a healthy portal reports no drift and
the counts its own database holds; a map that drifted is reported name by name, with a
proposed fix that, applied, ends the drift; a field that went empty is caught though the
run succeeded."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portwright_monitor.cli import app
from portwright_valant.testing import DEV_ACCOUNT, SandboxHandle

pytestmark = pytest.mark.browser

PROVIDERS = "valant.providers.list"
LOCATIONS = "valant.locations.list"


@pytest.fixture
def workspace(valant_workspace: Callable[..., Path]) -> Callable[..., Path]:
    """The Valant workspace with the providers and locations recordings (the baselines)
    of ``versions``; devadmin's credentials."""
    def make(versions: tuple[str, ...] = ("2025.4", "2026.1")) -> Path:
        return valant_workspace(flows=(PROVIDERS, LOCATIONS), ui_versions=versions)
    return make


def canary(url: str, *args: str) -> tuple[int, str]:
    # wide enough that no message is wrapped inside Rich's error box
    result = CliRunner().invoke(app, ["canary", "valant", "--portal-url", url, *args],
                                env={"COLUMNS": "250"})
    return result.exit_code, result.output


def test_a_healthy_portal_reports_no_drift_and_what_came_back(
        sandbox_2025: SandboxHandle, workspace: Callable[..., Path]) -> None:
    ws = workspace()
    written = ws / "reports" / "daily" / "drift.json"  # its folders are made
    code, output = canary(sandbox_2025.url, "--flow", PROVIDERS, "--flow", LOCATIONS,
                          "--report", str(written))
    assert code == 0, output
    report = json.loads(written.read_text())
    providers, locations = report["flows"]
    assert providers["records"] == {
        "Provider": len(sandbox_2025.query("SELECT id FROM providers"))}
    assert locations["records"] == {
        "Location": len(sandbox_2025.query("SELECT id FROM locations"))}
    assert providers["baseline"] == "2025.4/all" and providers["ui_version"] == "2025.4"
    assert providers["findings"] == [] and locations["findings"] == []
    assert output.splitlines()[0].startswith(f"ok       {PROVIDERS} (UI 2025.4")


def edit_map(ws: Path, changes: list[tuple[str, str]]) -> Path:
    """The workspace's 2025.4 map with each (before, after) edit made; each must match."""
    map_file = ws / "selectors" / "valant" / "2025.4.yaml"
    text = map_file.read_text()
    for before, after in changes:
        assert before in text
        text = text.replace(before, after)
    map_file.write_text(text)
    return map_file


def test_drift_is_reported_by_name_and_the_proposed_fix_ends_it(
        sandbox_2025: SandboxHandle, workspace: Callable[..., Path]) -> None:
    ws = workspace()
    map_file = edit_map(ws, [
        # the NPI column was renamed: the old class finds nothing, the fallback works
        ('  providers.row.npi: [{css: "td.col-npi"}]',
         '  providers.row.npi: [{css: "td.col-npi-number"}, {css: "td.col-npi"}]'),
        # the email column moved: an optional field now reads nothing, run "succeeds"
        ('  providers.row.email: [{css: "td:nth-child(7)"}]',
         '  providers.row.email: [{css: "td:nth-child(9)"}]')])
    proposed = ws / "fix.yaml"
    code, output = canary(sandbox_2025.url, "--flow", PROVIDERS, "--flow", LOCATIONS,
                          "--report", str(ws / "drift.json"), "--propose", str(proposed))
    assert code == 1, output
    findings = {(f["kind"], f["subject"]): f
                for flow in json.loads((ws / "drift.json").read_text())["flows"]
                for f in flow["findings"]}
    assert set(findings) == {("fallback", "providers.row.npi"),
                             ("field_emptied", "Provider.email")}
    npi = findings[("fallback", "providers.row.npi")]
    assert (npi["severity"], npi["strategy_index"], npi["map_version"]) == ("drift", 1, "2025.4")
    emails = len(sandbox_2025.query("SELECT id FROM providers WHERE email IS NOT NULL"))
    assert emails > 0   # the portal does show emails: the field really went empty
    assert f"drift    {PROVIDERS}" in output and f"ok       {LOCATIONS}" in output
    assert "proposed: providers.row.npi: css=td.col-npi (strategy 2" in output

    proposed.replace(map_file)
    code, output = canary(sandbox_2025.url, "--flow", PROVIDERS, "--report",
                          str(ws / "again.json"))
    again = json.loads((ws / "again.json").read_text())["flows"][0]["findings"]
    assert [(f["kind"], f["subject"]) for f in again] == [("field_emptied", "Provider.email")]
    assert code == 1   # the moved column is for a person: no fix was guessed


def test_an_invalid_selector_fails_the_flow_by_name_and_is_no_drift_to_propose(
        sandbox_2025: SandboxHandle, workspace: Callable[..., Path]) -> None:
    ws = workspace()
    map_file = ws / "selectors" / "valant" / "2025.4.yaml"
    before = '  providers.row.npi: [{css: "td.col-npi"}]'
    assert before in map_file.read_text()
    # a primary the browser cannot parse, before a fallback that works: no drift, a
    # broken map (every page read of the column fails, whatever the portal shows)
    map_file.write_text(map_file.read_text().replace(
        before, '  providers.row.npi: [{css: "td[data-col=npi"}, {css: "td.col-npi"}]'))
    code, output = canary(sandbox_2025.url, "--flow", PROVIDERS, "--flow", LOCATIONS,
                          "--report", str(ws / "drift.json"), "--propose", str(ws / "fix.yaml"))
    assert code == 1, output
    providers, locations = json.loads((ws / "drift.json").read_text())["flows"]
    [finding] = providers["findings"]
    assert (finding["severity"], finding["kind"], finding["subject"]) == (
        "failed", "invalid", "providers.row.npi"), finding
    assert (finding["strategy"], finding["strategy_index"], finding["map_version"]) == (
        "css=td[data-col=npi", 0, "2025.4")
    assert finding["detail"].startswith("SelectorInvalid at step "), finding
    assert "is not a valid selector" in finding["detail"]
    assert locations["findings"] == []   # the other flow is checked as usual
    assert f"failed   {PROVIDERS}" in output and f"ok       {LOCATIONS}" in output
    assert "no fallback found: no map fix to propose" in output


def test_a_new_ui_version_is_noted_but_is_no_drift(
        sandbox_2026: SandboxHandle, workspace: Callable[..., Path]) -> None:
    ws = workspace(versions=("2025.4",))
    code, output = canary(sandbox_2026.url, "--flow", LOCATIONS, "--report",
                          str(ws / "drift.json"))
    assert code == 0, output
    [finding] = json.loads((ws / "drift.json").read_text())["flows"][0]["findings"]
    assert (finding["severity"], finding["kind"]) == ("info", "ui_version_changed")
    assert "the portal shows UI 2026.1; the baseline was recorded on 2025.4" in output


def test_a_flow_that_writes_is_refused_before_anything_runs(
        sandbox_2025: SandboxHandle, workspace: Callable[..., Path]) -> None:
    workspace()
    before = len(sandbox_2025.query("SELECT id FROM tasks"))
    code, output = canary(sandbox_2025.url, "--flow", "valant.tasks.create",
                          "--input", "valant.tasks.create:title=canary")
    assert code == 2 and "valant.tasks.create changes portal data" in output
    assert len(sandbox_2025.query("SELECT id FROM tasks")) == before


@pytest.mark.parametrize(("given", "says"), [
    ("valant.providers.list:statuz=x", "statuz"),  # a typo in the input's name
    ("valant.locations.list:x=1", "not one of the --flow flows"),  # an input for no flow
])
def test_an_input_mistake_is_a_usage_error_not_a_drift_finding(
        sandbox_2025: SandboxHandle, tmp_path: Path, workspace: Callable[..., Path],
        given: str, says: str) -> None:
    """Exit 2 before any run: a scheduler must not page anyone about portal drift."""
    workspace()
    report = tmp_path / "drift.json"
    code, output = canary(sandbox_2025.url, "--flow", PROVIDERS, "--input", given,
                          "--report", str(report))
    assert code == 2, output
    assert says in output and "run_failed" not in output
    assert not report.exists()


@pytest.mark.parametrize(("portal", "url", "extra", "says"), [
    ("valant", "portal.example", (), "--portal-url: the URL of portal 'valant' "
     "('portal.example') is not an absolute http(s) URL with a host"),
    ("acme", None, (), "valant.providers.list is not a flow of portal 'acme'"),
    ("valant", None, ("--report", "/proc/no-such/drift.json"),
     "--report: cannot make the folder /proc/no-such"),
    ("valant", None, ("--propose", "."), "--propose: . is a folder; expected a file path"),
])
def test_a_bad_url_a_foreign_flow_or_an_unwritable_output_is_refused_before_any_run(
        sandbox_2025: SandboxHandle, workspace: Callable[..., Path],
        portal: str, url: str | None, extra: tuple[str, ...], says: str) -> None:
    """Found only after the runs, an unwritable report lost them (a traceback); a bad URL
    or another portal's flow was reported as a failed flow, i.e. as drift."""
    workspace()
    seen = len(sandbox_2025.request_log)
    result = CliRunner().invoke(app, [
        "canary", portal, "--portal-url", url or sandbox_2025.url, "--flow", PROVIDERS,
        *extra], env={"COLUMNS": "250"})
    assert result.exit_code == 2, result.output
    assert says in " ".join(result.output.replace("│", " ").split())
    assert "run_failed" not in result.output
    assert len(sandbox_2025.request_log) == seen  # the portal saw nothing


def test_a_flow_that_no_longer_runs_names_the_step_the_name_and_its_artifacts(
        sandbox_2025: SandboxHandle, workspace: Callable[..., Path]) -> None:
    ws = workspace()
    map_file = ws / "selectors" / "valant" / "2025.4.yaml"
    line = '  providers.row.npi: [{css: "td.col-npi"}]'
    map_file.write_text(map_file.read_text().replace(
        line, '  providers.row.npi: [{css: "td.col-national-id"}]'))
    code, output = canary(sandbox_2025.url, "--flow", PROVIDERS, "--flow", LOCATIONS,
                          "--report", str(ws / "drift.json"))
    assert code == 1, output
    providers, locations = json.loads((ws / "drift.json").read_text())["flows"]
    [finding] = providers["findings"]
    assert (finding["severity"], finding["kind"], finding["subject"]) == (
        "failed", "run_failed", "providers.row.npi")
    assert "at step provider-rows" in finding["detail"]
    assert {Path(p).name for p in providers["artifacts"]} == {"failure.png", "steps.jsonl"}
    assert all(Path(p).is_file() for p in providers["artifacts"])
    assert locations["findings"] == []       # one broken flow does not stop the others
    assert f"failed   {PROVIDERS}" in output and "artifacts: " in output


def test_without_credentials_a_flow_is_not_run_and_the_canary_fails(
        sandbox_2025: SandboxHandle, monkeypatch: pytest.MonkeyPatch,
        workspace: Callable[..., Path]) -> None:
    ws = workspace()
    monkeypatch.delenv("PORTWRIGHT_SECRET_VALANT_USERNAME")
    code, output = canary(sandbox_2025.url, "--flow", LOCATIONS, "--report",
                          str(ws / "drift.json"))
    assert code == 1, output
    [check] = json.loads((ws / "drift.json").read_text())["flows"]
    assert check["ran"] is False
    assert [(f["severity"], f["kind"]) for f in check["findings"]] == [("failed", "not_run")]
    assert "PORTWRIGHT_SECRET_VALANT_USERNAME" in output
    assert DEV_ACCOUNT[1] not in output    # the password that was set is never shown


def test_a_failed_run_still_reports_its_fallbacks_ui_version_and_a_fix(
        sandbox_2025: SandboxHandle, workspace: Callable[..., Path]) -> None:
    ws = workspace()
    edit_map(ws, [
        # renamed: found by the fallback
        ('  providers.row.npi: [{css: "td.col-npi"}]',
         '  providers.row.npi: [{css: "td.col-npi-number"}, {css: "td.col-npi"}]'),
        # renamed with no fallback: the run fails
        ('  providers.row.taxonomy: [{css: "td.col-taxonomy"}]',
         '  providers.row.taxonomy: [{css: "td.col-taxonomy-code"}]')])
    code, output = canary(sandbox_2025.url, "--flow", PROVIDERS, "--report",
                          str(ws / "drift.json"), "--propose", str(ws / "fix.yaml"))
    assert code == 1, output
    [providers] = json.loads((ws / "drift.json").read_text())["flows"]
    kinds = {(f["kind"], f["subject"]) for f in providers["findings"]}
    assert kinds == {("run_failed", "providers.row.taxonomy"),
                     ("fallback", "providers.row.npi")}, providers["findings"]
    assert providers["ui_version"] == "2025.4"
    assert providers["selector_map_version"] == "2025.4"
    assert providers["baseline"] == "2025.4/all"
    assert "proposed: providers.row.npi: css=td.col-npi (strategy 2" in output
    assert "no fallback found" not in output
    assert "UI ?" not in output


def test_a_field_the_new_map_does_not_offer_is_no_drift_against_an_old_baseline(
        sandbox_2026: SandboxHandle, workspace: Callable[..., Path]) -> None:
    ws = workspace(versions=("2025.4",))
    code, output = canary(sandbox_2026.url, "--flow", PROVIDERS, "--flow", LOCATIONS,
                          "--report", str(ws / "drift.json"))
    assert code == 0, output
    providers, _ = json.loads((ws / "drift.json").read_text())["flows"]
    assert [(f["severity"], f["kind"]) for f in providers["findings"]] == [
        ("info", "ui_version_changed")], providers["findings"]
    assert "field_emptied" not in output and "Provider.email" not in output
