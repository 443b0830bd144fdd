"""An adapter or step-kind plugin that cannot be used is one ``error:`` line naming it and
the cause, from every command and before any browsing; ``doctor`` loads each adapter and
reports the broken one.

Each case installs a real throwaway distribution (a ``dist-info`` folder with its
``entry_points.txt``, found by ``importlib.metadata`` on ``PYTHONPATH``) and runs the
real console script in a fresh interpreter: the step union is built once per process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXE = Path(sys.executable).parent / "portwright"

STEPS = '''
from typing import Any, Literal
from portwright.flow.steps.base import StepBase, StepKind


class CountRowsStep(StepBase):
    action: Literal["count_rows"]
    target: str
    into: str


class ClickAgainStep(StepBase):
    action: Literal["click"]
    target: str


async def handle(step: Any, run: Any) -> None:
    run.set_var(step.into, 0)


COUNT_ROWS = StepKind(CountRowsStep, handle)
CLICK_AGAIN = StepKind(ClickAgainStep, handle)
NOT_A_KIND = object()
'''

ADAPTER = '''
{first_line}
from portwright.adapter import Adapter
from pw_acme.steps import CLICK_AGAIN, COUNT_ROWS, CountRowsStep


class AcmeAdapter(Adapter):
    name = "acme"
    step_kinds = {step_kinds}
'''

FLOW = """flow: acme.count
outputs:
  count: {value: n}
steps:
  - {action: goto, url: "{{ portal.base_url }}/rows"}
  - {action: count_rows, target: rows, into: n}
"""

MAP = """portal: acme
version: "1.0"
selectors:
  rows: {strategies: [{css: "tr"}], all: true}
"""


def _install(site: Path, *, first_line: str = "", step_kinds: str = "(COUNT_ROWS,)",
             steps_entry_point: str = "") -> None:
    """A distribution ``pw-acme`` registering the adapter ``acme`` (and, when given, a
    ``portwright.steps`` entry point), installed into ``site``."""
    package = site / "pw_acme"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "steps.py").write_text(STEPS)
    (package / "adapter.py").write_text(ADAPTER.format(first_line=first_line,
                                                       step_kinds=step_kinds))
    info = site / "pw_acme-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: pw-acme\nVersion: 0.1\n")
    entry_points = "[portwright.adapters]\nacme = pw_acme.adapter:AcmeAdapter\n"
    if steps_entry_point:
        entry_points += f"[portwright.steps]\nbad_kind = {steps_entry_point}\n"
    (info / "entry_points.txt").write_text(entry_points)


def _workspace(root: Path) -> Path:
    """A workspace with a flow of ``acme`` using its step kind, a map and a recording."""
    (root / "flows" / "acme").mkdir(parents=True)
    (root / "flows" / "acme" / "count.yaml").write_text(FLOW)
    (root / "selectors" / "acme").mkdir(parents=True)
    (root / "selectors" / "acme" / "1.0.yaml").write_text(MAP)
    (root / "portwright.toml").write_text('flows = "flows"\n')
    recording = root / "recordings" / "acme" / "count" / "1.0" / "default"
    recording.mkdir(parents=True)
    (recording / "meta.json").write_text(json.dumps({
        "portal": "acme", "flow": "acme.count", "ui_version": "1.0",
        "portal_url": "http://127.0.0.1:9"}))
    (recording / "golden.json").write_text('{"outputs": {"count": 0}}')
    (recording / "flow.har").write_text(json.dumps({"log": {
        "version": "1.2", "creator": {"name": "test", "version": "1"}, "entries": []}}))
    return root


def _portwright(root: Path, site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site), "COLUMNS": "300",
           "PORTWRIGHT_ROOT": str(root)}
    env.pop("PORTWRIGHT_BROWSER", None)
    return subprocess.run([str(EXE), *args], capture_output=True, text=True, env=env,
                          cwd=root, stdin=subprocess.DEVNULL, timeout=120)


COMMANDS = [
    pytest.param(["validate"], id="validate"),
    # the portal URL is closed: a run that browsed would fail on navigation instead
    pytest.param(["run", "acme.count", "--portal-url", "http://127.0.0.1:9"], id="run"),
    pytest.param(["flows", "list"], id="flows-list"),
    pytest.param(["replay"], id="replay"),
]


def _assert_one_error(out: subprocess.CompletedProcess[str], *fragments: str) -> None:
    text = out.stdout + out.stderr
    assert out.returncode != 0, text
    assert "Traceback" not in text, text
    for fragment in fragments:
        assert fragment in text, text


@pytest.mark.parametrize("command", COMMANDS)
def test_an_adapter_that_fails_to_import_is_named_with_its_import_error(
        tmp_path: Path, command: list[str]) -> None:
    site = tmp_path / "site"
    _install(site, first_line="import nonexistent_dependency_xyz")
    out = _portwright(_workspace(tmp_path / "ws"), site, *command)
    _assert_one_error(out, "adapter 'acme' (pw_acme.adapter:AcmeAdapter) failed to load",
                      "No module named 'nonexistent_dependency_xyz'")
    assert "unknown action" not in out.stdout + out.stderr


def test_the_audit_names_the_adapter_it_could_not_load(tmp_path: Path) -> None:
    # an installed adapter that does not load fails the audit (its planted values were
    # not searched for), naming the cause instead of a traceback
    site = tmp_path / "site"
    _install(site, first_line="import nonexistent_dependency_xyz")
    out = _portwright(_workspace(tmp_path / "ws"), site, "recordings", "audit")
    text = out.stdout + out.stderr
    assert "Traceback" not in text, text
    assert "adapter 'acme' (pw_acme.adapter:AcmeAdapter) failed to load: ModuleNotFoundError: " \
           "No module named 'nonexistent_dependency_xyz'" in text, text
    assert out.returncode == 1 and "audit FAILED" in text, text


def test_doctor_loads_each_adapter_and_reports_the_broken_one(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _install(site, first_line="import nonexistent_dependency_xyz")
    out = _portwright(_workspace(tmp_path / "ws"), site, "doctor")
    assert out.returncode == 1, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    acme = next(line for line in lines if "adapter acme" in line)
    assert "MISSING" in acme and "nonexistent_dependency_xyz" in acme
    valant = next(line for line in lines if "adapter valant" in line)
    assert " ok " in valant


@pytest.mark.parametrize(("install", "fragments"), [
    pytest.param({"step_kinds": "(CountRowsStep,)"},
                 ["adapter 'acme' (pw_acme.adapter:AcmeAdapter), step_kinds[0], is the class "
                  "pw_acme.steps.CountRowsStep, not a StepKind", "StepKind(MyStep, "],
                 id="model-not-step-kind"),
    pytest.param({"step_kinds": "(COUNT_ROWS, CLICK_AGAIN)"},
                 ["adapter 'acme' (pw_acme.adapter:AcmeAdapter), step_kinds[1], defines the "
                  "step action 'click', which a built-in step kind already defines"],
                 id="duplicate-action"),
    pytest.param({"steps_entry_point": "pw_acme.steps:NOT_A_KIND"},
                 ["step entry point 'bad_kind' (pw_acme.steps:NOT_A_KIND) is a value of "
                  "type object, not a StepKind"],
                 id="entry-point-not-step-kind"),
    pytest.param({"steps_entry_point": "pw_acme.missing:KIND"},
                 ["step entry point 'bad_kind' (pw_acme.missing:KIND) failed to load: "
                  "ModuleNotFoundError"],
                 id="entry-point-fails-to-import"),
])
@pytest.mark.parametrize("command", [["validate"], ["doctor"]], ids=["validate", "doctor"])
def test_a_bad_step_kind_is_one_error_naming_where_it_came_from(
        tmp_path: Path, install: dict[str, str], fragments: list[str],
        command: list[str]) -> None:
    site = tmp_path / "site"
    _install(site, **install)
    out = _portwright(_workspace(tmp_path / "ws"), site, *command)
    if command == ["doctor"]:
        assert out.returncode == 1, out.stdout + out.stderr
        assert "Traceback" not in out.stdout + out.stderr
        step_kinds = next(line for line in out.stdout.splitlines() if "step kinds" in line)
        assert "MISSING" in step_kinds
        return
    _assert_one_error(out, *fragments)
