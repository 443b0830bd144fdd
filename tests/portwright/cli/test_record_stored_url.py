"""``portwright record`` takes the portal's URL as ``run`` and ``login`` do: the
``--portal-url`` option, else the stored ``base_url`` secret (the account's own before
the portal's). With neither, or a malformed one, it exits 2 before a browser opens, with
``run``'s message.

``record`` used to require ``--portal-url`` ("Missing option '--portal-url'", exit 2)
even with the URL stored, unlike every other command that opens the portal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from portwright.cli.app import app
from portwright.exceptions import RecordingError
from portwright.recording import recorder
from portwright.recording.recorder import RecordOutcome


@pytest.fixture
def recorded_at(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The portal URL of every recording started (each then fails as if the portal did
    not answer, before any browser)."""
    seen: list[str] = []

    async def record_flow(flow: str, *, portal_url: str, **kwargs: Any) -> RecordOutcome:
        seen.append(portal_url)
        raise RecordingError("the portal did not answer")

    monkeypatch.setattr(recorder, "record_flow", record_flow)
    return seen


def test_record_uses_the_stored_base_url(toy: Path, refused_launches: list[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The stored URL is taken: the recording goes on to its browser."""
    monkeypatch.setenv("PORTWRIGHT_SECRET_TOY_BASE_URL", "http://127.0.0.1:9")
    result = CliRunner().invoke(app, ["record", "toy.hello"])
    assert "Missing option" not in result.output
    assert result.exit_code == 1, result.output
    assert "a browser was started" in result.output
    assert refused_launches == ["browser"]


def test_the_account_s_stored_url_comes_first_and_the_option_over_both(
        toy: Path, recorded_at: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTWRIGHT_SECRET_TOY_BASE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("PORTWRIGHT_SECRET_TOY_REC_BASE_URL", "http://127.0.0.1:10")
    runner = CliRunner()
    runner.invoke(app, ["record", "toy.hello"])
    runner.invoke(app, ["record", "toy.hello", "--account", "rec"])
    runner.invoke(app, ["record", "toy.hello", "--account", "rec",
                        "--portal-url", "http://127.0.0.1:11"])
    assert recorded_at == ["http://127.0.0.1:9", "http://127.0.0.1:10", "http://127.0.0.1:11"]


def test_no_url_given_or_stored_exits_2_before_a_browser_opens(
        toy: Path, refused_launches: list[str]) -> None:
    result = CliRunner().invoke(app, ["record", "toy.hello"])
    assert result.exit_code == 2, result.output
    assert "no URL was given for portal 'toy'" in result.output
    assert "--portal-url https://" in result.output
    assert "portwright secrets set toy base_url" in result.output
    assert refused_launches == []
    assert not (toy / "recordings").exists()
    assert "Traceback" not in result.output


def test_a_malformed_stored_url_exits_2_before_a_browser_opens(
        toy: Path, refused_launches: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTWRIGHT_SECRET_TOY_BASE_URL", "portal.example")
    result = CliRunner().invoke(app, ["record", "toy.hello"])
    assert result.exit_code == 2, result.output
    assert "the URL of portal 'toy' ('portal.example') is not an absolute http(s) URL" \
        in result.output
    assert refused_launches == []
    assert not (toy / "recordings").exists()
