"""A ``require`` step of a called flow refusing a value the calling flow computed is the
caller's mistake: ``portwright run`` fails the call step (exit 1), naming the caller,
where its call step is written, the called flow, the refusing step, the input and the
requirement's message. It used to exit 2, as if the person running the top-level flow
had mistyped the command. A value passed on exactly as the person gave it, however deep,
is still the person's mistake: exit 2, naming the input of the flow they ran. A
``require`` of the flow a person runs stays exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser
from typer.testing import CliRunner

from portwright.cli.app import app
from portwright.engine import Engine
from portwright.exceptions import CallInputError, CallRequireError, FlowInputError
from portwright.runner.result import partial_result
from portwright.settings import load_settings

pytestmark = pytest.mark.browser

DEAD_URL = "http://127.0.0.1:9"  # no flow here browses: nothing is ever asked of it

BOOK = """flow: toy.book
inputs:
  start: {type: int}
  end: {type: int}
outputs:
  booked: {value: booked}
steps:
  - id: end-after-start
    action: require
    input: end
    condition: "inputs.end > inputs.start"
    message: "the end ({{ inputs.end }}) must come after the start ({{ inputs.start }})"
  - {action: set, values: {booked: "yes"}}
"""

#: passes the person's values on, unchecked (its call step starts on line 6)
PASSES_ON = """flow: toy.passes_on
inputs:
  start: {type: int}
  end: {type: int}
steps:
  - id: book-it
    action: call
    flow: toy.book
    inputs: {start: "{{ inputs.start }}", end: "{{inputs.end}}"}
"""

#: computes the end itself, wrongly (its call step starts on line 6)
COMPUTES = """flow: toy.computes
inputs:
  start: {type: int}
steps:
  - {action: set, values: {ready: "yes"}}
  - id: book-it
    action: call
    flow: toy.book
    retries: 2
    inputs: {start: "{{ inputs.start }}", end: "{{ inputs.start - 1 }}"}
"""

#: one level up: the refusal is the flow's that called toy.book, not this one's
TOP = """flow: toy.top
steps:
  - id: computes-it
    action: call
    flow: toy.computes
    inputs: {start: 7}
"""

#: two levels of passing on: the person's 'finish' becomes toy.book's 'end'
RELAYS = """flow: toy.relays
inputs:
  begin: {type: int}
  finish: {type: int}
steps:
  - id: pass-it-on
    action: call
    flow: toy.passes_on
    inputs: {start: "{{ inputs.begin }}", end: "{{ inputs.finish }}"}
"""


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace with the book flow and its callers, as the current directory."""
    (tmp_path / "portwright.toml").write_text('artifacts = "out/artifacts"\n')
    flows = tmp_path / "flows" / "toy"
    flows.mkdir(parents=True)
    for name, text in {"book": BOOK, "passes_on": PASSES_ON, "computes": COMPUTES,
                       "top": TOP, "relays": RELAYS}.items():
        (flows / f"{name}.yaml").write_text(text)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PORTWRIGHT_STATE", str(tmp_path / "state"))
    monkeypatch.setenv("COLUMNS", "250")
    return tmp_path


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["run", *args, "--portal-url", DEAD_URL])
    return result.exit_code, result.output


def _refusal(ws: Path, caller: str, line: int, reason: str) -> str:
    where = f"{ws / 'flows' / 'toy' / f'{caller}.yaml'}:{line}:5"
    return (f"error: toy.{caller} step book-it: call of flow 'toy.book' at {where}: "
            f"its step end-after-start refuses input 'end': {reason}")


def test_a_called_flows_require_refusing_a_value_passed_on_is_the_persons_mistake(
        ws: Path) -> None:
    """appointments.create passes the person's end time to fill_form, whose require
    refuses an end on another day: that is a mistyped command (exit 2), named by the
    input of the flow the person ran, with the requirement's message."""
    code, output = _run("toy.passes_on", "--input", "start=5", "--input", "end=3")
    assert code == 2, output
    assert ("error: toy.passes_on: input 'end': the end (3) must come after the start (5)"
            in output)

    code, output = _run("toy.relays", "--input", "begin=5", "--input", "finish=3")
    assert code == 2, output
    assert ("error: toy.relays: input 'finish': the end (3) must come after the start (5)"
            in output)


def test_a_refused_value_the_caller_computed_names_the_caller_however_deep(
        ws: Path) -> None:
    code, output = _run("toy.computes", "--input", "start=4")
    assert code == 1, output
    assert _refusal(ws, "computes", 6, "the end (3) must come after the start (4)") in output

    code, output = _run("toy.top")
    assert code == 1, output
    assert _refusal(ws, "computes", 6, "the end (6) must come after the start (7)") in output


def test_a_require_of_the_flow_run_stays_a_usage_error(ws: Path) -> None:
    code, output = _run("toy.book", "--input", "start=5", "--input", "end=3")
    assert code == 2, output
    assert "error: toy.book: input 'end': the end (3) must come after the start (5)" in output

    code, output = _run("toy.passes_on", "--input", "start=1", "--input", "end=2")
    assert code == 0, output


async def test_the_refusal_is_a_call_input_error_tried_once_whatever_its_retries(
        browser: Browser, ws: Path) -> None:
    engine = Engine(load_settings(ws), browser=browser, portal_urls={"toy": DEAD_URL})
    try:
        with pytest.raises(CallRequireError) as info:
            await engine.run("toy.computes", {"start": 4})
        with pytest.raises(FlowInputError):  # the flow run's own: the person's mistake
            await engine.run("toy.book", {"start": 5, "end": 3})
    finally:
        await engine.close()
    err = info.value
    assert isinstance(err, CallInputError) and not isinstance(err, FlowInputError)
    assert (err.flow, err.step, err.called_flow, err.field, err.reason) == (
        "toy.computes", "book-it", "toy.book", "end",
        "the end (3) must come after the start (4)")
    partial = partial_result(err)
    assert partial is not None
    assert [(s.flow, s.id, s.status, s.attempts) for s in partial.steps
            if s.status == "failed"] == [
        ("toy.computes", "book-it", "failed", 1), ("toy.book", "end-after-start", "failed", 1)]
