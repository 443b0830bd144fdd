"""Flow files parse into pure models; definition-time rules hold; schemas stay fresh."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from portwright.exceptions import FlowDefinitionError, FlowInputError, UnsafeRetry
from portwright.flow.catalog import step_models
from portwright.flow.loader import load_flow, load_flow_text
from portwright.flow.schema import flow_schema_text
from portwright.flow.steps import BUILTIN_STEP_MODELS
from portwright.flow.steps.base import action_of
from portwright.runner.inputs import coerce_inputs
from portwright.selector_map.schema import selector_map_schema_text

ROOT = Path(__file__).resolve().parents[3]

EVERY_KIND = """
flow: toy.everything
version: 3
mutates: true
inputs:
  mrn: {type: string}
  since: {type: date, required: false}
outputs:
  patients: {entity: Patient}
steps:
  - {action: goto, url: "{{ portal.base_url }}/x"}
  - {action: click, target: a, mutates: false}
  - {action: fill, target: b, value: "{{ inputs.mrn }}"}
  - {action: select, target: c, label: Green}
  - {action: check, target: d, checked: false}
  - {action: press, key: Enter}
  - {action: upload, target: e, files: [a.pdf]}
  - {action: wait_for, idle: networkidle}
  - {action: assert, check: url, contains: "/x"}
  - {action: extract, into: rows, rows: r, fields: {id: {attr: data-id}, name: r.name},
     paginate: {next: n, max_pages: 3}}
  - {action: capture, response: "**/api/*", into: raw, trigger: [{action: goto, url: y}]}
  - {action: request, url: "{{ portal.base_url }}/api", into: resp}
  - {action: call, flow: toy.other, inputs: {a: 1}, into: out}
  - action: if
    condition: "rows | length > 0"
    then: [{action: set, values: {x: 1}}]
    else: [{action: set, values: {x: 2}}]
  - {action: foreach, items: rows, as: row, steps: [{action: set, values: {y: "{{ row }}"}}]}
  - action: retry
    steps: [{action: click, target: save}]
    idempotency:
      steps: [{action: request, url: "{{ portal.base_url }}/api/find", into: found}]
      landed: "found.json | length > 0"
  - {action: emit, entity: Patient, from: rows, to: patients}
  - {action: screenshot, name: after}
  - {action: download, target: export, into: file}
  - {action: require, condition: "inputs.mrn != ''", input: mrn, message: "mrn is empty"}
  - {action: form_errors, errors: form.error, summary: form.problem, expect: saved}
"""


def test_a_flow_with_every_step_kind_parses_into_typed_steps() -> None:
    flow = load_flow_text(EVERY_KIND, "every.yaml")
    kinds = {s.action for s in flow.walk()}
    # every built-in kind except mfa (which needs a second factor to be meaningful)
    assert kinds == {action_of(m) for m in BUILTIN_STEP_MODELS} - {"mfa"}
    assert flow.portal == "toy" and flow.version == 3
    assert flow.inputs["mrn"].is_required and not flow.inputs["since"].is_required
    assert flow.selector_names() >= {"a", "b", "r", "r.name", "n", "save", "export"}


def test_steps_know_where_they_are_in_the_file() -> None:
    flow = load_flow_text(EVERY_KIND, "every.yaml")
    nested = [s for s in flow.walk() if s.path == "steps[13].then[0]"]
    assert nested and nested[0].position is not None
    assert (nested[0].position.line, nested[0].title) == (27, "steps[13].then[0] (set)")


def test_retry_around_a_mutating_step_needs_an_idempotency_check() -> None:
    unsafe = EVERY_KIND.replace("""    idempotency:
      steps: [{action: request, url: "{{ portal.base_url }}/api/find", into: found}]
      landed: "found.json | length > 0"
""", "")
    with pytest.raises(UnsafeRetry, match="without an idempotency check"):
        load_flow_text(unsafe, "unsafe.yaml")


def test_read_only_retry_is_fine_in_a_mutating_flow() -> None:
    load_flow_text("""flow: toy.r
mutates: true
steps:
  - action: retry
    steps: [{action: goto, url: x}, {action: extract, into: v, fields: {a: b}}]
""", "r.yaml")


def test_retry_of_a_call_to_a_mutating_flow_is_refused() -> None:
    text = "flow: toy.r\nsteps:\n  - action: retry\n    steps: [{action: call, flow: toy.w}]\n"
    with pytest.raises(UnsafeRetry):
        load_flow_text(text, "r.yaml", flow_mutates=lambda name: name == "toy.w")
    load_flow_text(text, "r.yaml", flow_mutates=lambda name: False)


def test_secret_templates_are_flagged_at_load() -> None:
    flow = load_flow_text("""flow: toy.s
inputs:
  user: {type: string}
steps:
  - {action: fill, target: p, value: "{{ secrets.toy.password }}"}
  - {action: fill, target: u, value: "{{ inputs.user }}"}
""", "s.yaml")
    assert [s.touches_secrets for s in flow.steps] == [True, False]


def test_inputs_are_typed_and_checked() -> None:
    flow = load_flow_text("""flow: toy.i
inputs:
  n: {type: int}
  since: {type: date, required: false}
  at: {type: datetime, default: "2026-01-01T00:00:00Z"}
  on: {type: bool, default: false}
  ids: {type: list, required: false}
steps: [{action: goto, url: x}]
""", "i.yaml")
    values = coerce_inputs(flow, {"n": "7", "since": "2026-03-01", "on": "yes", "ids": "a, b"})
    assert values == {"n": 7, "since": date(2026, 3, 1),
                      "at": datetime.fromisoformat("2026-01-01T00:00:00+00:00"),
                      "on": True, "ids": ["a", "b"]}
    with pytest.raises(FlowInputError, match="input 'n': is required"):
        coerce_inputs(flow, {})
    # the value's shape, not the value: an input may be a patient's date of birth
    with pytest.raises(FlowInputError, match="the value shaped 'aaaaa' is not a whole number"):
        coerce_inputs(flow, {"n": "seven"})
    with pytest.raises(FlowInputError, match=r"shaped '99/99/9999' is not an ISO date") as bad:
        coerce_inputs(flow, {"n": 1, "since": "04/09/1961"})
    assert "1961" not in str(bad.value)
    with pytest.raises(FlowInputError, match="input 'x': not declared"):
        coerce_inputs(flow, {"n": 1, "x": 2})


def test_an_input_with_choices_refuses_anything_else_and_names_them() -> None:
    flow = load_flow_text("""flow: t.choices
inputs:
  status: {type: string, default: "", choices: ["", active, discharged]}
  page_size: {type: int, default: 50, choices: [25, 50, 100]}
steps: [{action: goto, url: x}]
""", "c.yaml")
    assert coerce_inputs(flow, {"status": "active", "page_size": "100"}) == {
        "status": "active", "page_size": 100}            # compared after conversion
    assert coerce_inputs(flow, {}) == {"status": "", "page_size": 50}
    with pytest.raises(FlowInputError, match="input 'status': the value shaped 'aaaaa' is "
                                             "not one of the choices") as info:
        coerce_inputs(flow, {"status": "bogus"})
    assert info.value.hint == "choices: '', 'active', 'discharged'"  # type: ignore[attr-defined]
    with pytest.raises(FlowInputError, match="not one of the choices"):
        coerce_inputs(flow, {"page_size": "30"})


def test_a_default_outside_the_choices_is_a_definition_error_at_its_line() -> None:
    with pytest.raises(FlowDefinitionError) as info:
        load_flow_text("""flow: t.choices
inputs:
  path: {type: string, default: fast, choices: [auto, dom]}
steps: [{action: goto, url: x}]
""", "d.yaml")
    message = str(info.value)
    assert "d.yaml:3" in message and "inputs.path" in message
    assert "default 'fast' is not one of choices ['auto', 'dom']" in message


def test_committed_flow_schema_is_fresh() -> None:
    committed = (ROOT / "flows" / "flow.schema.json").read_text()
    assert committed == flow_schema_text(), "run: portwright schema flow"


def test_committed_selector_map_schema_is_fresh() -> None:
    committed = (ROOT / "selectors" / "selector-map.schema.json").read_text()
    assert committed == selector_map_schema_text(), "run: portwright schema selectors"


def test_schema_lists_every_step_action() -> None:
    schema = json.loads(flow_schema_text())
    actions = {d["properties"]["action"]["const"] for d in schema["$defs"].values()
               if "action" in d.get("properties", {}) and "const" in d["properties"]["action"]}
    assert actions == {action_of(m) for m in step_models()}


def test_workspace_flows_and_maps_of_the_engine_parse() -> None:
    for name in ("login_password", "demo.tasks", "demo.add_task"):
        load_flow(ROOT / "flows" / "valant" / f"{name}.yaml")
