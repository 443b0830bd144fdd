"""The pytest plugin's ``browser`` fixture launches the browser the workspace's settings
name (``browser``, ``headless``), through the one discovery the CLI uses: a suite must
not test against another browser than the one its runs will drive."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TEST_MODULE = """
import pytest


@pytest.mark.asyncio(loop_scope="session")
async def test_uses_the_browser(browser):
    assert browser.is_connected()
"""


def _pytest_in_workspace(root: Path, workspace_file: str) -> str:
    """Run a one-test suite in a workspace outside this repository; its output."""
    (root / "portwright.toml").write_text(workspace_file)
    (root / "test_theirs.py").write_text(TEST_MODULE)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PORTWRIGHT_") and k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "-p", "no:xdist", "test_theirs.py"], cwd=root, env=env,
                         capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    return out.stdout + out.stderr


@pytest.mark.browser
def test_the_fixture_launches_the_discovered_browser(tmp_path: Path) -> None:
    assert "1 passed" in _pytest_in_workspace(tmp_path, 'flows = "flows"\n')


@pytest.mark.browser
def test_the_fixture_uses_the_workspace_file_s_browser(tmp_path: Path) -> None:
    output = _pytest_in_workspace(tmp_path, 'browser = "/nonexistent/chromium"\n')
    assert "1 error" in output, output
    assert (f'the browser /nonexistent/chromium (browser = "/nonexistent/chromium" in '
            f'{tmp_path.resolve() / "portwright.toml"}) does not exist') in output, output


@pytest.mark.browser
def test_the_fixture_honours_headless_false(tmp_path: Path) -> None:
    # no display in the child: a headed launch can only fail, and says it was headed
    output = _pytest_in_workspace(tmp_path, "headless = false\n")
    assert "1 error" in output, output
    assert "could not be launched headed" in output, output
