"""The ``browser`` fixture finds its workspace as the standard suite does: from the test
files up to the first workspace file, not from pytest's root folder, which is another
folder when the tests live in a sub-project of a larger repository."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

#: the ``logging_chromium`` fixture (tests/portwright/conftest.py)
LoggingBrowser = Callable[[Path, str], tuple[Path, Path]]

TEST_MODULE = """
import pytest


@pytest.mark.asyncio(loop_scope="session")
async def test_uses_the_browser(browser):
    page = await browser.new_page()
    await page.set_content("<p id=p>theirs</p>")
    assert await page.inner_text("#p") == "theirs"
"""


def _sub_project(pytester: pytest.Pytester, folder: str, browser: Path) -> None:
    """A workspace ``folder`` naming ``browser``, with one browser test of its own."""
    (pytester.path / folder / "tests").mkdir(parents=True)
    (pytester.path / folder / "portwright.toml").write_text(f'browser = "{browser}"\n')
    (pytester.path / folder / "tests" / f"test_{folder}.py").write_text(TEST_MODULE)


@pytest.fixture
def repository(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A repository whose root (pytest's rootdir, by its ini file) is a workspace of its
    own; no ``PORTWRIGHT_*`` variable reaches the inner pytest."""
    for name in [n for n in os.environ if n.startswith("PORTWRIGHT_")]:
        monkeypatch.delenv(name)
    pytester.makeini("[pytest]\n")
    return pytester


@pytest.mark.browser
def test_the_fixture_uses_the_workspace_around_the_tests_not_pytest_s_root(
        repository: pytest.Pytester, logging_chromium: LoggingBrowser) -> None:
    root_browser, root_log = logging_chromium(repository.path / "bin", "root-chrome")
    sub_browser, sub_log = logging_chromium(repository.path / "bin", "clinic-chrome")
    (repository.path / "portwright.toml").write_text(f'browser = "{root_browser}"\n')
    _sub_project(repository, "clinic", sub_browser)
    result = repository.runpytest_subprocess("-p", "no:xdist", "-p", "no:cacheprovider",
                                             "clinic/tests")
    result.assert_outcomes(passed=1)
    assert f"rootdir: {repository.path}" in result.stdout.str()
    assert sub_log.exists()
    assert not root_log.exists()


def test_workspaces_naming_different_browsers_cannot_share_one(
        repository: pytest.Pytester) -> None:
    _sub_project(repository, "clinic", repository.path / "bin" / "clinic-chrome")
    _sub_project(repository, "billing", repository.path / "bin" / "billing-chrome")
    result = repository.runpytest_subprocess("-p", "no:xdist", "-p", "no:cacheprovider")
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(["*the tests of this run share one browser but their "
                                 "workspaces set it differently*"])
    assert str(repository.path / "billing") in result.stdout.str()
    assert str(repository.path / "clinic") in result.stdout.str()
