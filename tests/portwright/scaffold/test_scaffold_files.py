"""``portwright new-adapter``: the names it derives, and that it writes all files or none."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from portwright.cli.app import app
from portwright.exceptions import ConfigError
from portwright.scaffold import adapter_names, scaffold_adapter
from portwright.scaffold.plan import PlannedFile
from portwright.scaffold.writer import write_all


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def test_every_spelling_follows_from_one_name(tmp_path: Path) -> None:
    written = scaffold_adapter(adapter_names("acme-ehr", ui_version="2026.1"), tmp_path)
    files = {str(p.relative_to(tmp_path)) for p in written}
    assert "adapters/acme_ehr/src/portwright_acme_ehr/adapter.py" in files
    assert "flows/acme_ehr/providers.list.yaml" in files
    assert "flows/acme_ehr/session.check.yaml" in files
    assert "selectors/acme_ehr/2026.1.yaml" in files
    assert "tests/portwright_acme_ehr/test_acme_ehr_standard_suite.py" in files
    project = tomllib.loads((tmp_path / "adapters/acme_ehr/pyproject.toml").read_text())
    assert project["project"]["name"] == "portwright-acme-ehr"
    assert project["project"]["entry-points"]["portwright.adapters"] == {
        "acme_ehr": "portwright_acme_ehr:AcmeEhrAdapter"}
    flow = (tmp_path / "flows/acme_ehr/login.yaml").read_text()
    assert "flow: acme_ehr.login\n" in flow
    assert "{{ secrets.acme_ehr.password }}" in flow  # the flows' own Jinja is left alone
    assert "PORTWRIGHT_SECRET_ACME_EHR_PASSWORD" in flow
    assert "$" not in (tmp_path / "selectors/acme_ehr/2026.1.yaml").read_text().replace(
        "$schema", "").replace("$='", "")


def test_outside_a_workspace_the_folder_becomes_one(tmp_path: Path) -> None:
    scaffold_adapter(adapter_names("acme"), tmp_path)
    table = tomllib.loads((tmp_path / "portwright.toml").read_text())
    assert table["flows"] == "flows" and table["selectors"] == "selectors"


def test_inside_a_workspace_its_folder_settings_are_followed(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.portwright]\nflows = "portal/flows"\nselectors = "portal/maps"\n')
    (tmp_path / "sub").mkdir()
    written = scaffold_adapter(adapter_names("acme"), tmp_path / "sub")
    files = {str(p.relative_to(tmp_path)) for p in written}
    assert "portal/flows/acme/login.yaml" in files
    assert "portal/maps/acme/1.0.yaml" in files
    assert not (tmp_path / "portwright.toml").exists()
    assert not (tmp_path / "sub" / "portwright.toml").exists()


@pytest.mark.parametrize(("name", "ui_version", "says"), [
    ("9lives", "1.0", "not a usable adapter name"),
    ("acme--ehr", "1.0", "not a usable adapter name"),
    ("Acme", "1.0", "not a usable adapter name"),
    ("class", "1.0", "Python keyword"),
    ("acme", "../1.0", "not a usable UI version"),
])
def test_unusable_names_are_refused(name: str, ui_version: str, says: str) -> None:
    with pytest.raises(ConfigError, match=says):
        adapter_names(name, ui_version=ui_version)


def test_a_name_an_installed_adapter_has_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="already installed"):
        scaffold_adapter(adapter_names("valant"), tmp_path)
    assert _tree(tmp_path) == set()


def test_an_existing_workspace_file_is_kept(tmp_path: Path) -> None:
    mine = tmp_path / "portwright.toml"
    mine.write_text("# my own workspace\n")
    written = scaffold_adapter(adapter_names("acme"), tmp_path)
    assert mine not in written and mine.read_text() == "# my own workspace\n"


def test_one_existing_target_blocks_every_file(tmp_path: Path) -> None:
    mine = tmp_path / "b" / "taken.txt"
    mine.parent.mkdir()
    mine.write_text("my own work\n")
    planned = [PlannedFile(tmp_path / "a" / "new.txt", "new"), PlannedFile(mine, "new")]
    with pytest.raises(ConfigError, match=r"nothing was written: 1 .*b/taken.txt"):
        write_all(planned, tmp_path)
    assert _tree(tmp_path) == {"b", "b/taken.txt"}
    assert mine.read_text() == "my own work\n"


def test_a_portal_folder_with_files_means_the_name_is_taken(tmp_path: Path) -> None:
    mine = tmp_path / "flows" / "acme" / "patients.list.yaml"
    mine.parent.mkdir(parents=True)
    mine.write_text("flow: acme.patients.list  # my own work\n")
    before = _tree(tmp_path)
    with pytest.raises(ConfigError, match=r"already has files for 'acme' \(flows/acme/\)"):
        scaffold_adapter(adapter_names("acme"), tmp_path)
    assert _tree(tmp_path) == before


def test_a_write_failing_half_way_keeps_nothing(tmp_path: Path) -> None:
    # "tests" is a file, so the last folder cannot be made after the others were written
    (tmp_path / "portwright.toml").write_text("flows = 'flows'\n")
    (tmp_path / "tests").write_text("not a folder")
    before = _tree(tmp_path)
    with pytest.raises(ConfigError, match="nothing was kept"):
        scaffold_adapter(adapter_names("acme"), tmp_path)
    assert _tree(tmp_path) == before


def test_the_schemas_the_yaml_names_are_written_unless_present(tmp_path: Path) -> None:
    mine = tmp_path / "selectors" / "selector-map.schema.json"
    mine.parent.mkdir()
    mine.write_text("{}")
    written = scaffold_adapter(adapter_names("acme"), tmp_path)
    assert tmp_path / "flows" / "flow.schema.json" in written
    assert mine not in written and mine.read_text() == "{}"
    login = (tmp_path / "flows/acme/login.yaml").read_text()
    assert login.startswith("# yaml-language-server: $schema=../flow.schema.json\n")


def test_the_command_lists_what_it_made_and_what_comes_next(tmp_path: Path) -> None:
    runner = CliRunner()
    made = runner.invoke(app, ["new-adapter", "acme", "--ui-version", "2026.1",
                               "--workspace", str(tmp_path)])
    assert made.exit_code == 0, made.output
    assert "created flows/acme/login.yaml" in made.output
    assert "created selectors/acme/2026.1.yaml" in made.output
    assert "pip install -e 'adapters/acme[test]'" in made.output
    again = runner.invoke(app, ["new-adapter", "acme", "--workspace", str(tmp_path)])
    assert again.exit_code == 1
    assert "nothing was written" in again.output


def test_the_next_steps_name_the_workspace_folders(tmp_path: Path) -> None:
    (tmp_path / "portwright.toml").write_text('selectors = "portal/maps"\n')
    made = CliRunner().invoke(app, ["new-adapter", "acme", "--workspace", str(tmp_path)])
    assert made.exit_code == 0, made.output
    assert "edit portal/maps/acme/1.0.yaml for your portal's pages" in made.output


PROJECT = Path(__file__).parents[3]

#: a test a user adds next to the generated suite: it imports portwright and the adapter
USER_TEST = """\
from __future__ import annotations

from portwright.entities import Provider

from portwright_acme_ehr.normalizers import normalize_provider


def test_a_row_becomes_a_provider() -> None:
    row = {"provider_id": "prv-1", "name": "Ruiz, Ana", "npi": "1245319599"}
    assert isinstance(normalize_provider(row), Provider)
"""


def _ruff_config() -> str:
    """The ``[tool.ruff]`` tables of portwright's own pyproject.toml, as they stand."""
    kept: list[str] = []
    keep = False
    for line in (PROJECT / "pyproject.toml").read_text().splitlines():
        if line.startswith("["):
            keep = line.startswith("[tool.ruff")
        if keep:
            kept.append(line)
    return "\n".join(kept) + "\n"


def test_a_long_name_s_adapter_passes_ruff_with_the_project_s_config(tmp_path: Path) -> None:
    """Scaffolded into a repository configured like portwright's own (``adapters/<name>/``
    beside ``src/``), the code passes ruff as written: no line over the limit for a long
    portal name, and the adapter's package is first-party without naming it in the
    config (``src = [..., "adapters/*/src"]``), so a test importing it sorts cleanly."""
    (tmp_path / "pyproject.toml").write_text(_ruff_config())
    scaffold_adapter(adapter_names("acme_ehr", display_name="Acme EHR"), tmp_path)
    (tmp_path / "tests/portwright_acme_ehr/test_normalizers.py").write_text(USER_TEST)
    lint = subprocess.run(
        [str(Path(sys.executable).parent / "ruff"), "check", "--no-cache", "adapters",
         "tests"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert lint.returncode == 0, lint.stdout + lint.stderr


def test_two_scaffolded_adapters_collect_side_by_side(tmp_path: Path) -> None:
    """An adapter project needs no pytest configuration, so two of them in one workspace
    must not both write ``tests/<pkg>/test_standard_suite.py`` (default import mode:
    "import file mismatch")."""
    for name in ("beta", "gamma"):
        scaffold_adapter(adapter_names(name), tmp_path)
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         "tests"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert collected.returncode == 0, collected.stdout + collected.stderr
    assert "TestBetaAdapterStandardSuite" in collected.stdout
    assert "TestGammaAdapterStandardSuite" in collected.stdout


def test_a_fresh_adapter_project_needs_no_pytest_configuration(tmp_path: Path) -> None:
    """No pytest.ini, no ``[tool.pytest.ini_options]``: the suite runs without pytest-asyncio
    asking for ``asyncio_default_fixture_loop_scope`` (portwright's plugin gives it the
    session scope its fixtures live in, unless the project sets it)."""
    scaffold_adapter(adapter_names("acme_ehr"), tmp_path)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", "parse",
         "tests"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert "2 passed" in run.stdout, run.stdout + run.stderr
    assert "asyncio_default_fixture_loop_scope" not in run.stdout + run.stderr


@pytest.mark.parametrize("shown", ['Echo "Health" \\ Co', "Foxtrot: EHR #2", "'Quoted'",
                                   "Cost $5"])
def test_a_display_name_that_would_break_a_file_is_refused(shown: str) -> None:
    with pytest.raises(ConfigError, match="not a usable display name"):
        adapter_names("echo", display_name=shown)


def test_a_display_name_with_plain_punctuation_writes_files_that_parse(tmp_path: Path) -> None:
    scaffold_adapter(adapter_names("echo", display_name="O'Brien & Co. (EHR) / v2+"),
                     tmp_path)
    for path in tmp_path.rglob("*"):
        text = path.read_text() if path.is_file() else ""
        if path.suffix == ".py":
            ast.parse(text, filename=str(path))
        elif path.suffix == ".toml":
            tomllib.loads(text)
        elif path.suffix == ".yaml":
            YAML(typ="safe").load(text)
    assert "O'Brien & Co. (EHR) / v2+" in (tmp_path / "selectors/echo/1.0.yaml").read_text()
