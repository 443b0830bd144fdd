"""The pytest plugin loads in every pytest run of an environment with portwright: where
pytest-asyncio is missing it must not break the run, and must say what to install."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# hides pytest-asyncio from the child process, as if it were not installed (the child runs
# with --assert=plain: pytest's rewriting import hook would otherwise load its plugins
# ahead of this finder)
_BLOCKER = """
import sys


class NotInstalled:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] == "pytest_asyncio":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, NotInstalled())
"""


def test_a_project_without_pytest_asyncio_still_runs_its_tests(tmp_path: Path) -> None:
    (tmp_path / "blocker").mkdir()
    (tmp_path / "blocker" / "sitecustomize.py").write_text(_BLOCKER)
    (tmp_path / "test_theirs.py").write_text(
        "import pytest\n\n@pytest.mark.browser\ndef test_theirs():\n    assert 1 + 1 == 2\n")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:asyncio", "-p", "no:cacheprovider",
         "--assert=plain", "-W", "error::pytest.PytestUnknownMarkWarning", "test_theirs.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path / "blocker")},
        stdin=subprocess.DEVNULL)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout
    assert "pip install 'portwright[testing]'" in run.stdout + run.stderr
