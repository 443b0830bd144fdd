"""The standard suite checks the workspace its test module lives in, wherever pytest runs
from, and refuses to run where there is no workspace instead of passing on no files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SUITE = 'from portwright.testing.standard_suite import adapter_test_class\n\n' \
        'TestToy = adapter_test_class("toy")\n'

FLOW = """flow: toy.home
steps:
  - {action: goto, url: "{{ portal.base_url }}/"}
  - {action: click, target: home.link}
"""

MAP = """portal: toy
version: "1.0"
selectors:
  home.link: [{css: "a"}]
"""


def _pytest(cwd: Path, tests: Path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTWRIGHT_")}
    out = subprocess.run([sys.executable, "-m", "pytest", "-rA", "-p", "no:cacheprovider",
                          "-p", "no:xdist", str(tests)], cwd=cwd, env=env,
                         capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    return out.stdout + out.stderr


def test_the_suite_checks_its_own_workspace_from_any_folder(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    (workspace / "flows" / "toy").mkdir(parents=True)
    (workspace / "flows" / "toy" / "home.yaml").write_text(FLOW)
    (workspace / "selectors" / "toy").mkdir(parents=True)
    (workspace / "selectors" / "toy" / "1.0.yaml").write_text(MAP)
    (workspace / "portwright.toml").write_text('flows = "flows"\n')
    tests = workspace / "tests" / "portwright_toy"
    tests.mkdir(parents=True)
    (tests / "test_standard_suite.py").write_text(SUITE)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    output = _pytest(elsewhere, tests)
    passed = {line.rsplit("::", 1)[-1] for line in output.splitlines()
              if line.startswith("PASSED ")}
    assert {"test_flows_parse", "test_maps_parse", "test_flow_names_in_maps"} <= passed, output
    # nothing is recorded in this workspace: said of its own recordings folder
    assert f"no recordings of toy under {workspace.resolve() / 'recordings'}" in output, output


def test_a_suite_outside_any_workspace_fails_instead_of_passing(tmp_path: Path) -> None:
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_standard_suite.py").write_text(SUITE)
    output = _pytest(tmp_path, tests)
    assert "passed" not in output, output
    assert "no portwright workspace around" in output and "1 error" in output, output
