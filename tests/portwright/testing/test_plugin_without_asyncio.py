"""The pytest plugin loads in every pytest run of an environment with portwright: where
pytest-asyncio is missing it must not break the run, must say what to install, and still
offers the fixtures that need no event loop."""

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


def _pytest_without_asyncio(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    (folder / "blocker").mkdir()
    (folder / "blocker" / "sitecustomize.py").write_text(_BLOCKER)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:asyncio", "-p", "no:cacheprovider",
         "--assert=plain", *args],
        cwd=folder, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(folder / "blocker")},
        stdin=subprocess.DEVNULL)


def test_a_project_without_pytest_asyncio_still_runs_its_tests(tmp_path: Path) -> None:
    (tmp_path / "test_theirs.py").write_text(
        "import pytest\n\n@pytest.mark.browser\ndef test_theirs():\n    assert 1 + 1 == 2\n")
    run = _pytest_without_asyncio(tmp_path, "-W", "error::pytest.PytestUnknownMarkWarning",
                                  "test_theirs.py")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout
    assert "pip install 'portwright[testing]'" in run.stdout + run.stderr


def test_without_pytest_asyncio_the_synchronous_fixtures_remain(tmp_path: Path) -> None:
    run = _pytest_without_asyncio(tmp_path, "--fixtures")
    assert run.returncode == 0, run.stdout + run.stderr
    offered = {line.split(" ")[0] for line in run.stdout.splitlines()}
    assert {"sshd", "sftp_drop", "dovecot"} <= offered
    assert not {"browser", "replay_flow", "replayed"} & offered
