"""``portwright run`` and ``portwright record`` exit 2 when the command was given wrongly
(an input unknown, missing or mistyped, a ``require`` step refusing the inputs, a
scenario name that cannot name a folder) and 1 when the run itself failed, so a script
can tell "fix the command" from "the portal or the flow failed". The mistakes that can be
found before a browser opens are: no browser is started for them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from portwright.cli.app import app

BOOK = """flow: toy.book
inputs:
  start: {type: int}
  end: {type: int}
outputs:
  booked: {value: booked}
steps:
  - action: require
    input: end
    condition: "inputs.end > inputs.start"
    message: "the end ({{ inputs.end }}) must come after the start ({{ inputs.start }})"
  - {action: set, values: {booked: "yes"}}
"""

#: passes its inputs on to toy.book, whose ``require`` checks them
OUTER = """flow: toy.outer
inputs:
  start: {type: int}
  end: {type: int}
steps:
  - action: call
    flow: toy.book
    inputs: {start: "{{ inputs.start }}", end: "{{ inputs.end }}"}
"""

#: fails at run time whatever its inputs: the run failed, the command was right
BROKEN = """flow: toy.broken
steps:
  - {action: assert, check: url, contains: "/nowhere", message: "not where it should be"}
"""

DEAD_URL = "http://127.0.0.1:9"


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace with the toy flows as the current directory."""
    (tmp_path / "portwright.toml").write_text('artifacts = "out/artifacts"\n')
    flows = tmp_path / "flows" / "toy"
    flows.mkdir(parents=True)
    for name, text in {"book": BOOK, "outer": OUTER, "broken": BROKEN}.items():
        (flows / f"{name}.yaml").write_text(text)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PORTWRIGHT_STATE", str(tmp_path / "state"))
    monkeypatch.setenv("COLUMNS", "250")
    return tmp_path


MISTAKES = [
    (["--input", "start=1", "--input", "end=2", "--input", "nights=3"],
     "toy.book: input 'nights': not declared by the flow"),
    (["--input", "start=1"], "toy.book: input 'end': is required"),
    (["--input", "start=1", "--input", "end=soon"], "toy.book: input 'end': the value"),
]


@pytest.mark.parametrize(("inputs", "says"), MISTAKES)
def test_run_exits_2_on_an_input_mistake_before_a_browser_opens(
        ws: Path, refused_launches: list[str], inputs: list[str], says: str) -> None:
    result = CliRunner().invoke(app, ["run", "toy.book", "--portal-url", DEAD_URL, *inputs])
    assert result.exit_code == 2, result.output
    assert says in result.output
    assert refused_launches == []


@pytest.mark.parametrize(("inputs", "says"), MISTAKES)
def test_record_exits_2_on_an_input_mistake_before_a_browser_opens(
        ws: Path, refused_launches: list[str], inputs: list[str], says: str) -> None:
    result = CliRunner().invoke(app, ["record", "toy.book", "--portal-url", DEAD_URL,
                                      "--scenario", "late", *inputs])
    assert result.exit_code == 2, result.output
    assert says in result.output
    assert refused_launches == []
    assert not (ws / "recordings").exists()


@pytest.mark.parametrize("scenario", ["../elsewhere", ".hidden", ""])
def test_record_exits_2_on_a_scenario_name_that_cannot_name_a_folder(
        ws: Path, refused_launches: list[str], scenario: str) -> None:
    result = CliRunner().invoke(app, ["record", "toy.book", "--portal-url", DEAD_URL,
                                      "--scenario", scenario, "--input", "start=1",
                                      "--input", "end=2"])
    assert result.exit_code == 2, result.output
    assert f"scenario name {scenario!r} cannot name a recording folder" in result.output
    assert refused_launches == []


@pytest.mark.browser
@pytest.mark.parametrize("flow", ["toy.book", "toy.outer"])
def test_a_require_step_refusing_the_inputs_exits_2_and_a_failed_run_exits_1(
        ws: Path, flow: str) -> None:
    runner = CliRunner()
    ran = runner.invoke(app, ["run", flow, "--portal-url", DEAD_URL,
                              "--input", "start=1", "--input", "end=2"])
    assert ran.exit_code == 0, ran.output

    refused = runner.invoke(app, ["run", flow, "--portal-url", DEAD_URL,
                                  "--input", "start=5", "--input", "end=3"])
    assert refused.exit_code == 2, refused.output
    # toy.outer passes the person's values on as given: its own input is named
    assert f"{flow}: input 'end': the end (3) must come after the start (5)" \
        in refused.output

    failed = runner.invoke(app, ["run", "toy.broken", "--portal-url", DEAD_URL])
    assert failed.exit_code == 1, failed.output
    assert "not where it should be" in failed.output
