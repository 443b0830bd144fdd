"""A flow may use engine step kinds and its own adapter's, never another adapter's.

Step kinds join one global union, so without this check a flow of ``toy`` could use a
kind only the ``valant`` adapter registers, and would then need portwright-valant
installed without anything saying so. The throwaway distributions below are real
(``dist-info`` folders found by ``importlib.metadata`` on ``PYTHONPATH``) and the real
console script runs in a fresh interpreter, since the step union is built once per
process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from portwright.flow.loader import FlowProblems, load_flow, load_flow_text

ROOT = Path(__file__).resolve().parents[3]

RULE = "may only use engine step kinds and its own adapter's"

#: a flow of portal ``toy`` borrowing Valant's ``json_pages`` (installed with the repo)
BORROWING = """flow: toy.patients.sync
steps:
  - {action: goto, url: "{{ portal.base_url }}/patients"}
  - action: if
    condition: "true"
    then:
      - action: json_pages
        url: "{{ portal.base_url }}/api/patients"
        start: "first"
        into: rows
"""


def test_a_flow_borrowing_another_adapters_step_kind_is_refused_at_its_line() -> None:
    with pytest.raises(FlowProblems) as caught:
        load_flow_text(BORROWING, "flows/toy/patients.sync.yaml")
    [problem] = caught.value.problems
    assert str(problem).startswith(
        "flows/toy/patients.sync.yaml:7:17: step kind 'json_pages' comes from the valant "
        f"adapter; a flow of 'toy' {RULE}")
    assert problem.field == "steps[1].then[0].action"


def test_the_adapters_own_flows_may_use_its_step_kinds() -> None:
    flow = load_flow(ROOT / "flows" / "valant" / "patients.list.yaml")
    assert "json_pages" in {step.action for step in flow.walk()}


STEPS = '''
from typing import Any, Literal
from portwright.flow.steps.base import StepBase, StepKind


class CountRowsStep(StepBase):
    action: Literal["count_rows"]
    into: str


class TallyStep(StepBase):
    action: Literal["tally"]
    into: str


class EchoStep(StepBase):
    action: Literal["echo"]
    into: str


async def handle(step: Any, run: Any) -> None:
    run.set_var(step.into, 0)


COUNT_ROWS = StepKind(CountRowsStep, handle)
TALLY = StepKind(TallyStep, handle)
ECHO = StepKind(EchoStep, handle)
'''

ADAPTER = '''
from portwright.adapter import Adapter
from {package}.steps import COUNT_ROWS


class AcmeAdapter(Adapter):
    name = "acme"
    step_kinds = (COUNT_ROWS,)
'''


def _distribution(site: Path, name: str, entry_points: str, adapter: bool) -> None:
    package = name.replace("-", "_")
    (site / package).mkdir(parents=True)
    (site / package / "__init__.py").write_text("")
    (site / package / "steps.py").write_text(STEPS)
    if adapter:
        (site / package / "adapter.py").write_text(ADAPTER.format(package=package))
    info = site / f"{package}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(entry_points)


def _flow(portal: str, actions: list[str]) -> str:
    steps = "".join(f"  - {{action: {a}, into: n{i}}}\n" for i, a in enumerate(actions))
    return f"flow: {portal}.count\nsteps:\n{steps}"


def test_validate_refuses_each_borrowed_step_kind_with_its_file_and_line(
        tmp_path: Path) -> None:
    site = tmp_path / "site"
    # pw-acme: the adapter 'acme', its own 'count_rows', and 'tally' published through
    # the 'portwright.steps' group by the same distribution (so acme's too)
    _distribution(site, "pw-acme", "[portwright.adapters]\nacme = pw_acme.adapter:AcmeAdapter\n"
                  "[portwright.steps]\ntally = pw_acme.steps:TALLY\n", adapter=True)
    # pw-shared: no adapter; its 'echo' is meant for every portal
    _distribution(site, "pw-shared", "[portwright.steps]\necho = pw_shared.steps:ECHO\n",
                  adapter=False)
    ws = tmp_path / "ws"
    (ws / "portwright.toml").parent.mkdir()
    (ws / "portwright.toml").write_text('flows = "flows"\n')
    for portal in ("acme", "toy"):
        (ws / "flows" / portal).mkdir(parents=True)
        (ws / "selectors" / portal).mkdir(parents=True)
        (ws / "selectors" / portal / "1.0.yaml").write_text(
            f'portal: {portal}\nversion: "1.0"\nselectors:\n  page: [{{css: body}}]\n')
    (ws / "flows" / "acme" / "count.yaml").write_text(
        _flow("acme", ["count_rows", "tally", "echo"]))
    (ws / "flows" / "toy" / "count.yaml").write_text(
        _flow("toy", ["echo", "count_rows", "tally"]))
    env = {**os.environ, "PYTHONPATH": str(site), "COLUMNS": "300", "PORTWRIGHT_ROOT": str(ws)}
    out = subprocess.run([str(Path(sys.executable).parent / "portwright"), "validate"],
                         capture_output=True, text=True, env=env, cwd=ws,
                         stdin=subprocess.DEVNULL, timeout=120)
    text = out.stdout + out.stderr
    assert out.returncode == 1, text
    assert "Traceback" not in text, text
    toy = ws / "flows" / "toy" / "count.yaml"
    refused = [line for line in text.splitlines() if RULE in line]
    assert len(refused) == 2, text
    assert f"{toy}:4:14: step kind 'count_rows' comes from the acme adapter; " \
           f"a flow of 'toy' {RULE}" in refused[0]
    assert f"{toy}:5:14: step kind 'tally' comes from the acme adapter; " \
           f"a flow of 'toy' {RULE}" in refused[1]
    assert "flows/acme/count.yaml" not in text, text
