"""``portwright selectors check valant`` against the sandbox, in both UI versions: every
name that is not conditional is found on its page (reached by path and setup clicks,
signed in as an account from the credential store), and a broken map shows up as such."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from portwright.cli.app import app
from portwright_valant.testing import DEV_ACCOUNT, SandboxHandle

pytestmark = pytest.mark.browser

WORKSPACE = Path(__file__).resolve().parents[3]


def run_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str,
              selectors: Path, account: str | None = "devadmin", *extra: str
              ) -> tuple[int, dict[str, str], str]:
    """Exit code, name → verdict, and the output of the command in a fresh workspace."""
    ws = tmp_path / "ws"
    ws.mkdir(exist_ok=True)
    (ws / "portwright.toml").write_text(
        f'flows = "{WORKSPACE / "flows"}"\nselectors = "{selectors}"\n')
    monkeypatch.chdir(ws)
    result = CliRunner().invoke(
        app, ["selectors", "check", "valant", "--url", url,
              *(["--account", account] if account else []), *extra],
        env={"COLUMNS": "400"})
    verdicts: dict[str, str] = {}
    for line in result.output.splitlines():
        cells = [c.strip() for c in line.split("│")]
        if len(cells) > 3 and cells[1] and cells[1] != "name":
            verdicts[cells[1]] = cells[2]
    return result.exit_code, verdicts, result.output


@pytest.fixture
def devadmin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTWRIGHT_SECRET_VALANT_DEVADMIN_USERNAME", DEV_ACCOUNT[0])
    monkeypatch.setenv("PORTWRIGHT_SECRET_VALANT_DEVADMIN_PASSWORD", DEV_ACCOUNT[1])


@pytest.mark.parametrize("which", ["sandbox_2025", "sandbox_2026"])
def test_every_name_resolves_on_its_page(which: str, request: pytest.FixtureRequest,
                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         devadmin: None) -> None:
    handle: SandboxHandle = request.getfixturevalue(which)
    code, verdicts, output = run_check(tmp_path, monkeypatch, handle.url,
                                       WORKSPACE / "selectors")
    assert len(verdicts) > 150, output
    bad = {n: v for n, v in verdicts.items() if v in ("missing", "ambiguous")}
    assert bad == {}, output
    # the committed maps match their UI versions: every name is found by its primary
    # strategy (a fallback is drift, or a primary strategy that never worked)
    assert {n for n, v in verdicts.items() if v == "fallback"} == set(), output
    assert code == 0, output
    # signed in: names behind the login were found, and names shown only after an
    # action (a refused sign-in, an MFA prompt) are reported as such, not as missing
    assert verdicts["nav.signed_in"] == "primary"
    assert verdicts["claim.summary"] == "primary"
    assert verdicts["plan.goal"] == "primary"      # three clicks deep: encounter → plans → plan
    assert verdicts["login.error"] == verdicts["mfa.code"] == "not shown"
    # every selector is shown as written, CSS brackets included (not read as Rich markup)
    shown = {"sandbox_2025": ['role=link[name="Tasks"]', 'role=link[name="Sign in with SSO"]'],
             "sandbox_2026": ["css=time[data-col=due]", "css=[data-col=owner]"]}[which]
    assert all(f"│ {text} " in output for text in shown), output


def small_map(tmp_path: Path) -> tuple[Path, dict[str, object]]:
    """A copy of the 2025.4 map cut down to what sign-in and the chart's first tab need,
    so one check stays quick; returns the selectors folder and the map's data."""
    yaml = YAML()
    data = yaml.load((WORKSPACE / "selectors" / "valant" / "2025.4.yaml").read_text())
    keep = ("login.", "nav.", "patients.row", "chart.first_name", "chart.last_name")
    data["selectors"] = {n: e for n, e in data["selectors"].items() if n.startswith(keep)}
    pages = ("login", "nav", "patients", "chart")
    data["pages"] = {k: v for k, v in data["pages"].items() if k in pages}
    return tmp_path / "selectors", data


def write_map(selectors: Path, data: dict[str, object]) -> Path:
    (selectors / "valant").mkdir(parents=True, exist_ok=True)
    with (selectors / "valant" / "2025.4.yaml").open("w") as fh:
        YAML().dump(data, fh)
    return selectors


def test_without_an_account_the_default_credentials_sign_in(
        sandbox_2025: SandboxHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTWRIGHT_SECRET_VALANT_USERNAME", DEV_ACCOUNT[0])
    monkeypatch.setenv("PORTWRIGHT_SECRET_VALANT_PASSWORD", DEV_ACCOUNT[1])
    selectors = write_map(*small_map(tmp_path))
    code, verdicts, output = run_check(tmp_path, monkeypatch, sandbox_2025.url, selectors,
                                       account=None)
    assert verdicts["nav.signed_in"] == verdicts["chart.first_name"] == "primary", output
    assert "not checked" not in verdicts.values() and code == 0, output


def test_without_credentials_signed_in_pages_are_not_checked_and_the_check_fails(
        sandbox_2025: SandboxHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("PORTWRIGHT_SECRET_")]:
        monkeypatch.delenv(name)
    selectors = write_map(*small_map(tmp_path))
    code, verdicts, output = run_check(tmp_path, monkeypatch, sandbox_2025.url, selectors,
                                       account=None)
    assert verdicts["login.username"] == "primary", output          # public: checked
    # behind the sign-in: not counted missing on the login page they redirect to
    assert verdicts["nav.signed_in"] == verdicts["chart.first_name"] == "not checked"
    assert "missing" not in verdicts.values(), output
    assert "no credentials for the default account" in output
    assert "PORTWRIGHT_SECRET_VALANT_USERNAME" in output
    assert code == 1                                    # a check that could not look fails


def test_a_broken_map_is_reported(sandbox_2025: SandboxHandle, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch, devadmin: None) -> None:
    """The small map with one primary strategy and one whole name broken."""
    selectors, data = small_map(tmp_path)
    data["selectors"]["nav.signed_in"] = [{"css": "#current-user-renamed"},
                                          *data["selectors"]["nav.signed_in"]]
    data["selectors"]["chart.first_name"] = [{"css": "#demo-given-name"},
                                             {"text": "No Such Label At All"}]
    write_map(selectors, data)
    code, verdicts, output = run_check(tmp_path, monkeypatch, sandbox_2025.url, selectors)
    assert verdicts["nav.signed_in"] == "fallback", output
    assert verdicts["chart.first_name"] == "missing", output
    assert verdicts["chart.last_name"] == "primary", output
    assert verdicts["login.username"] == "primary", output
    assert code == 1


def test_a_proposed_fix_puts_the_strategy_that_worked_first(
        sandbox_2025: SandboxHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        devadmin: None) -> None:
    """The drift report's proposal is the map file itself, fixed where the check can
    stand behind the fix; applied, the fallback becomes primary."""
    selectors, data = small_map(tmp_path)
    data["selectors"]["nav.signed_in"] = [{"css": "#current-user-renamed"},
                                          *data["selectors"]["nav.signed_in"]]
    data["selectors"]["chart.first_name"] = [{"css": "#demo-given-name"}]
    write_map(selectors, data)
    map_file = selectors / "valant" / "2025.4.yaml"
    map_file.write_text("# the team's own note, kept\n" + map_file.read_text())
    proposed = tmp_path / "proposed.yaml"
    code, verdicts, output = run_check(tmp_path, monkeypatch, sandbox_2025.url, selectors,
                                       "devadmin", "--propose", str(proposed))
    assert verdicts["nav.signed_in"] == "fallback" and code == 1, output
    assert "proposed: nav.signed_in: css=#current-user (strategy 2, the one that found " \
        "it) moved first" in output
    assert "by hand: chart.first_name: every strategy found nothing" in output
    fixed = YAML().load(proposed.read_text())
    assert fixed["selectors"]["nav.signed_in"][0] == {"css": "#current-user"}
    assert fixed["selectors"]["nav.signed_in"][-1] == {"css": "#current-user-renamed"}
    assert proposed.read_text().startswith("# the team's own note, kept\n")
    # the diff is the fix alone: the entry's lines give way to one line, all else is kept
    changes = [line for line in difflib.ndiff(map_file.read_text().splitlines(),
                                              proposed.read_text().splitlines())
               if line.startswith(("+ ", "- "))]
    assert [c for c in changes if c.startswith("+ ")] == [
        '+   nav.signed_in: [{css: "#current-user"}, {css: "#current-user-renamed"}]']
    removed = [c[2:] for c in changes if c.startswith("- ")]
    assert removed[0].startswith("  nav.signed_in:")
    assert all(r.startswith(("  - ", "    ")) for r in removed[1:])  # its own lines

    proposed.replace(map_file)
    _, again, output = run_check(tmp_path, monkeypatch, sandbox_2025.url, selectors)
    assert again["nav.signed_in"] == "primary", output
    assert again["chart.first_name"] == "missing", output   # left to a person


def test_a_fix_to_an_inherited_name_is_proposed_in_the_version_that_inherits_it(
        sandbox_2025: SandboxHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        devadmin: None) -> None:
    selectors, data = small_map(tmp_path)
    data["selectors"]["nav.signed_in"] = [{"css": "#current-user-renamed"},
                                          *data["selectors"]["nav.signed_in"]]
    write_map(selectors, data)
    child = selectors / "valant" / "2025.9.yaml"
    child.write_text('portal: valant\nversion: "2025.9"\nextends: "2025.4"\n'
                     'detect:\n  - {meta: app-version, matches: "^2025\\\\.9"}\n')
    proposed = tmp_path / "proposed.yaml"
    _, verdicts, output = run_check(tmp_path, monkeypatch, sandbox_2025.url, selectors,
                                    "devadmin", "--version", "2025.9", "--propose",
                                    str(proposed))
    assert verdicts["nav.signed_in"] == "fallback", output
    assert "(now its own entry here; inherited from 2025.4.yaml)" in output
    fixed = YAML().load(proposed.read_text())
    assert fixed["extends"] == "2025.4"
    assert fixed["selectors"]["nav.signed_in"][0] == {"css": "#current-user"}
    parent = YAML().load((selectors / "valant" / "2025.4.yaml").read_text())
    assert parent["selectors"]["nav.signed_in"][0] == {"css": "#current-user-renamed"}
    proposed.replace(child)
    _, again, output = run_check(tmp_path, monkeypatch, sandbox_2025.url, selectors,
                                 "devadmin", "--version", "2025.9")
    assert again["nav.signed_in"] == "primary", output
