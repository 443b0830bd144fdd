"""``portwright login <portal>`` without ``--account`` logs in the portal's default
account: the one ``run`` uses without ``--account`` (its saved session is ``default``)
and ``sessions check`` checks without it.

``--account`` used to be required by ``login`` alone ("Missing option '--account'",
exit 2), so the session a plain ``run`` reuses could not be prepared by a plain login.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portwright.cli.app import app
from portwright_valant.sandbox.config import SandboxConfig
from portwright_valant.sandbox.server import SandboxServer
from portwright_valant.testing import DEV_ACCOUNT


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    server = SandboxServer(SandboxConfig(patients=3)).start()
    yield server
    server.stop()


def test_login_without_account_needs_no_option(valant_without_url: Path,
                                                refused_launches: list[str]) -> None:
    """Without a URL it is refused for that, not for a missing --account."""
    result = CliRunner().invoke(app, ["login", "valant"])
    assert "Missing option" not in result.output
    assert result.exit_code == 2, result.output
    assert "no URL was given for portal 'valant'" in result.output
    assert refused_launches == []


@pytest.mark.browser
def test_login_without_account_saves_the_session_a_plain_run_uses(
        valant_without_url: Path, sandbox: SandboxServer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    username, password = DEV_ACCOUNT
    monkeypatch.setenv("PORTWRIGHT_SECRET_VALANT_USERNAME", username)
    monkeypatch.setenv("PORTWRIGHT_SECRET_VALANT_PASSWORD", password)
    monkeypatch.setenv("PORTWRIGHT_SECRET_VALANT_BASE_URL", sandbox.url)
    runner = CliRunner()

    logged_in = runner.invoke(app, ["login", "valant"])
    assert logged_in.exit_code == 0, logged_in.output
    assert "valant/default: logged in with valant.login" in logged_in.output
    assert password not in logged_in.output

    checked = runner.invoke(app, ["sessions", "check", "valant"])
    assert checked.exit_code == 0, checked.output
    assert "valant/default: healthy" in checked.output

    again = runner.invoke(app, ["login", "valant"])  # the saved session is the one reused
    assert again.exit_code == 0, again.output
    assert "valant/default: saved session is healthy (reused)" in again.output
