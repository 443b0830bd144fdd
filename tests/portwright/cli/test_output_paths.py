"""Output files named on the command line are checked before the work that fills them:
folders are made, and a path that cannot be written is a usage error (exit 2) before a
run, a selector check or a claim build starts (which exit 1 on a dead portal, and a
claim build takes a control number)."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portwright.cli import app
from portwright.testing.claims import make_claim, make_submitter

UNMAKEABLE = "/proc/no-such-folder/out.json"  # /proc refuses new folders, even to root


def _dead_url() -> str:
    with socket.socket() as sock:  # a port nothing listens on once this closes
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def _invoke(tmp_path: Path, *args: str) -> tuple[int, str]:
    env = {"COLUMNS": "250", "PORTWRIGHT_STATE": str(tmp_path / "state"),
           "PORTWRIGHT_SECRET_VALANT_USERNAME": "u", "PORTWRIGHT_SECRET_VALANT_PASSWORD": "p"}
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, " ".join(result.output.replace("│", " ").split())


@pytest.mark.parametrize(("command", "option"), [
    (("run", "valant.providers.list", "--portal-url", "{url}", "--out"), "--out"),
    (("selectors", "check", "valant", "--url", "{url}", "--propose"), "--propose"),
])
@pytest.mark.parametrize(("target", "says"), [
    (UNMAKEABLE, "cannot make the folder /proc/no-such-folder"),
    (".", ". is a folder; expected a file path"),
])
def test_an_unwritable_output_is_refused_before_the_portal_is_tried(
        tmp_path: Path, command: tuple[str, ...], option: str, target: str,
        says: str) -> None:
    url = _dead_url()
    code, output = _invoke(tmp_path, *(a.format(url=url) for a in command), target)
    assert code == 2, output  # not 1: the dead portal was never tried
    assert f"Invalid value for {option}: {says}" in output


def test_claims_build_makes_the_folders_and_refuses_an_unwritable_path_unnumbered(
        tmp_path: Path) -> None:
    claims = tmp_path / "claims.json"
    claims.write_text(json.dumps({"submitter": make_submitter().to_json_dict(),
                                  "claims": [make_claim("CLM-OUT-1").to_json_dict()]}))
    code, output = _invoke(tmp_path, "claims", "build", str(claims), "-o", UNMAKEABLE)
    assert code == 2 and "cannot make the folder /proc/no-such-folder" in output
    assert not (tmp_path / "state").exists()  # no interchange control number was taken

    nested = tmp_path / "out" / "2026" / "12" / "batch.837"
    code, output = _invoke(tmp_path, "claims", "build", str(claims), "-o", str(nested))
    assert code == 0, output
    assert nested.read_text().startswith("ISA*")
    counter = json.loads((tmp_path / "state" / "x12-control-numbers.json").read_text())
    assert "000000001" in output and counter  # the first number went to this file


@pytest.mark.parametrize(("args", "says"), [
    (("schema", "flow", "--out", UNMAKEABLE), "cannot make the folder /proc/no-such-folder"),
    (("schema", "selectors", "-o", "."), ". is a folder; expected a file path"),
    (("schema", "entities", "--out", "/proc/no-such-folder"),
     "cannot make the folder /proc/no-such-folder"),
    (("schema", "entities", "--out", "{file}"), "is a file; expected a folder"),
])
def test_schema_outputs_that_cannot_be_written_are_usage_errors(
        tmp_path: Path, args: tuple[str, ...], says: str) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("a file, not a folder\n")
    code, output = _invoke(tmp_path, *(a.format(file=a_file) for a in args))
    assert code == 2, output
    assert says in output and "Traceback" not in output
    assert a_file.read_text() == "a file, not a folder\n"
