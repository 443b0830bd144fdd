"""Inputs a ``call`` step passes that the called flow refuses are the calling flow's bug:
``portwright run`` fails the call step (exit 1) naming the caller, the step and where it
is written, the called flow, the input and why. Only the inputs of the flow a person runs
are a usage error (exit 2), found before a browser opens."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser
from typer.testing import CliRunner

from portwright.cli.app import app
from portwright.engine import Engine
from portwright.exceptions import CallInputError, ConfigError
from portwright.runner import browser_pool
from portwright.runner.result import partial_result
from portwright.settings import load_settings

DEAD_URL = "http://127.0.0.1:9"  # no flow here browses: nothing is ever asked of it

BOOK = """flow: toy.book
inputs:
  start: {type: int}
  end: {type: int}
  room: {type: string, choices: [single, double], default: single}
outputs:
  booked: {value: booked}
steps:
  - {action: set, values: {booked: "yes"}}
"""

#: name: (its file, the line its call step starts on, CLI inputs, what is refused, hint)
CALLERS = {
    "forgets": ("""flow: toy.forgets
inputs:
  start: {type: int}
steps:
  - {action: set, values: {ready: "yes"}}
  - id: book-it
    action: call
    flow: toy.book
    inputs: {start: "{{ inputs.start }}"}
""", 6, ["--input", "start=1"], "input 'end': is required",
        "add end (expects a whole number) to the call step's inputs"),
    "computes": ("""flow: toy.computes
inputs:
  start: {type: int}
steps:
  - id: book-it
    action: call
    flow: toy.book
    inputs: {start: "{{ inputs.start }}", end: "{{ inputs.start }} days later"}
""", 5, ["--input", "start=1"],
        "input 'end': the value shaped '9 aaaa aaaaa' is not a whole number", None),
    "undeclared": ("""flow: toy.undeclared
steps:
  - id: book-it
    action: call
    flow: toy.book
    inputs: {start: 1, end: 2, nights: 3}
""", 3, [], "input 'nights': not declared by the flow",
        "declared inputs: end, room, start"),
    "wrong_choice": ("""flow: toy.wrong_choice
steps:
  - id: book-it
    action: call
    flow: toy.book
    inputs: {start: 1, end: 2, room: suite}
""", 3, [], "input 'room': the value shaped 'aaaaa' is not one of the choices",
        "choices: 'single', 'double'"),
    # the person's own value, passed on to a flow that types it more strictly: the
    # caller accepted it, so passing it on unchecked is the caller's mistake
    "passes_on": ("""flow: toy.passes_on
inputs:
  start: {type: string}
  end: {type: string}
steps:
  - id: book-it
    action: call
    flow: toy.book
    inputs: {start: "{{ inputs.start }}", end: "{{ inputs.end }}"}
""", 6, ["--input", "start=1", "--input", "end=soon"],
        "input 'end': the value shaped 'aaaa' is not a whole number", None),
}

RETRIED = """flow: toy.retried
steps:
  - id: book-it
    action: call
    flow: toy.book
    retries: 2
    inputs: {start: 1}
"""


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace with the book flow and its callers, as the current directory."""
    (tmp_path / "portwright.toml").write_text('artifacts = "out/artifacts"\n')
    flows = tmp_path / "flows" / "toy"
    flows.mkdir(parents=True)
    (flows / "book.yaml").write_text(BOOK)
    (flows / "retried.yaml").write_text(RETRIED)
    for name, (text, *_) in CALLERS.items():
        (flows / f"{name}.yaml").write_text(text)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PORTWRIGHT_STATE", str(tmp_path / "state"))
    monkeypatch.setenv("COLUMNS", "250")
    return tmp_path


@pytest.mark.browser
@pytest.mark.parametrize("caller", sorted(CALLERS))
def test_inputs_a_call_step_passes_and_its_flow_refuses_fail_the_call_step_with_exit_1(
        ws: Path, caller: str) -> None:
    _, line, inputs, refused, hint = CALLERS[caller]
    result = CliRunner().invoke(app, ["run", f"toy.{caller}", "--portal-url", DEAD_URL,
                                      *inputs])
    assert result.exit_code == 1, result.output
    where = f"{ws / 'flows' / 'toy' / f'{caller}.yaml'}:{line}:5"
    assert (f"error: toy.{caller} step book-it: call of flow 'toy.book' at {where}: "
            f"{refused}") in result.output
    if hint is not None:
        assert f"\n  hint: {hint}\n" in result.output


def test_the_run_flows_own_inputs_stay_a_usage_error_found_before_a_browser_opens(
        ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    launches: list[str] = []

    async def refused(*args: object, **kwargs: object) -> None:
        launches.append("browser")
        raise ConfigError("a browser was started")

    monkeypatch.setattr(browser_pool, "acquire", refused)
    result = CliRunner().invoke(app, ["run", "toy.forgets", "--portal-url", DEAD_URL])
    assert result.exit_code == 2, result.output
    assert "toy.forgets: input 'start': is required\n  hint: pass --input start=" \
        in result.output
    assert launches == []


@pytest.mark.browser
async def test_a_refused_call_is_a_flow_mistake_tried_once_whatever_its_retries(
        browser: Browser, ws: Path) -> None:
    engine = Engine(load_settings(ws), browser=browser, portal_urls={"toy": DEAD_URL})
    try:
        with pytest.raises(CallInputError) as info:
            await engine.run("toy.retried")
    finally:
        await engine.close()
    err = info.value
    assert (err.flow, err.step, err.called_flow, err.field, err.reason) == (
        "toy.retried", "book-it", "toy.book", "end", "is required")
    partial = partial_result(err)
    assert partial is not None
    assert [(s.flow, s.id, s.status, s.attempts) for s in partial.steps] == [
        ("toy.retried", "book-it", "failed", 1)]
