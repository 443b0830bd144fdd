"""``portwright run --out FILE`` writes the result there in whichever ``--format`` was
asked for; with ``jsonl`` or ``table`` it used to print to stdout and leave no file, so a
nightly ``run ... --format jsonl -o patients.jsonl`` loaded nothing and said nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portwright.cli.app import app
from portwright_valant.testing import SandboxHandle

from .conftest import ROOT


@pytest.fixture
def valant_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The repository's Valant flows, with state, secrets and artifacts of this test."""
    monkeypatch.chdir(ROOT)
    for name, value in {"PORTWRIGHT_STATE": str(tmp_path / "state"),
                        "PORTWRIGHT_SECRETS_FILE": str(tmp_path / "secrets.fernet"),
                        "PORTWRIGHT_ARTIFACTS": str(tmp_path / "artifacts"),
                        "PORTWRIGHT_SECRET_VALANT_USERNAME": "devadmin",
                        "PORTWRIGHT_SECRET_VALANT_PASSWORD": "Valant-Dev-2025!"}.items():
        monkeypatch.setenv(name, value)


def _run(sandbox: SandboxHandle, *options: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["run", "valant.providers.list", "--portal-url",
                                      sandbox.url, *options], env={"COLUMNS": "250"})
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.browser
@pytest.mark.usefixtures("valant_workspace")
def test_jsonl_and_table_go_to_the_out_file(sandbox: SandboxHandle, tmp_path: Path) -> None:
    code, stdout, _ = _run(sandbox, "--format", "json")
    assert code == 0
    providers = json.loads(stdout)["outputs"]["Provider"]
    assert providers

    lines = tmp_path / "providers.jsonl"
    code, stdout, stderr = _run(sandbox, "--format", "jsonl", "--out", str(lines))
    assert code == 0, stderr
    assert stdout == ""  # the file was asked for, not stdout
    assert f"wrote {lines}" in stderr
    assert [json.loads(line) for line in lines.read_text().splitlines()] == providers

    table = tmp_path / "providers.txt"
    code, stdout, stderr = _run(sandbox, "--format", "table", "--out", str(table))
    assert code == 0, stderr
    assert stdout == ""
    text = table.read_text()
    assert f"Provider ({len(providers)})" in text
    assert all(p["lastName"] in text for p in providers)
