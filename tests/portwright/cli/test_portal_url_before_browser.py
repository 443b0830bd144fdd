"""``portwright login`` and ``portwright record`` refuse a missing or malformed portal URL
before a browser opens, with exit 2 and the message ``portwright run`` gives (see
``test_run_without_portal_url``): a script can tell "fix the command" from "the login or
the recording failed".

``login`` with no ``--portal-url`` and no ``base_url`` secret used to exit 1; a malformed
``--portal-url`` (no scheme) reached the browser, as it did for ``record``, and failed at
the first ``goto`` with Playwright's "Invalid URL", naming neither the option nor the fix.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from portwright.cli.app import app


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_login_without_a_portal_url_exits_2_before_a_browser_opens(
        valant_without_url: Path, refused_launches: list[str]) -> None:
    result = CliRunner().invoke(app, ["login", "valant", "--account", "devadmin"])
    assert result.exit_code == 2, result.output
    assert "no URL was given for portal 'valant'" in result.output
    assert "--portal-url https://" in result.output
    assert "portwright secrets set valant base_url" in result.output
    assert refused_launches == []
    assert _files(valant_without_url) == []
    assert "Traceback" not in result.output


@pytest.mark.parametrize("given", [["--portal-url", "portal.example"], []])
def test_login_with_a_malformed_portal_url_exits_2_before_a_browser_opens(
        valant_without_url: Path, refused_launches: list[str], monkeypatch: pytest.MonkeyPatch,
        given: list[str]) -> None:
    """Given as the option, or stored as the ``base_url`` secret."""
    monkeypatch.setenv("PORTWRIGHT_SECRET_VALANT_BASE_URL", "portal.example")
    result = CliRunner().invoke(app, ["login", "valant", "--account", "devadmin", *given])
    assert result.exit_code == 2, result.output
    assert "the URL of portal 'valant' ('portal.example') is not an absolute http(s) URL" \
        in result.output
    assert refused_launches == []
    assert _files(valant_without_url) == []


def test_a_malformed_url_is_named_without_its_query(
        valant_without_url: Path, refused_launches: list[str]) -> None:
    """An address pasted from a browser may carry a patient (``?mrn=``); the error, which
    reaches logs and the canary's reports, shows it without the query."""
    result = CliRunner().invoke(app, ["login", "valant", "--account", "devadmin",
                                      "--portal-url", "portal.example/chart?mrn=MRN-10007"])
    assert result.exit_code == 2, result.output
    assert "('portal.example/chart?…') is not an absolute http(s) URL" in result.output
    assert "MRN-10007" not in result.output


@pytest.mark.parametrize("url", ["portal.example", "ftp://portal.example", "https://"])
def test_record_with_a_malformed_portal_url_exits_2_before_a_browser_opens(
        toy: Path, refused_launches: list[str], url: str) -> None:
    result = CliRunner().invoke(app, ["record", "toy.hello", "--portal-url", url])
    assert result.exit_code == 2, result.output
    assert f"the URL of portal 'toy' ({url!r}) is not an absolute http(s) URL" \
        in result.output
    assert "--portal-url https://" in result.output
    assert refused_launches == []
    assert not (toy / "recordings").exists()
    assert _files(toy / "out") == []


def test_login_with_a_good_url_goes_on_to_the_browser(
        valant_without_url: Path, refused_launches: list[str]) -> None:
    """The check refuses mistakes only: with a URL, the login starts its browser."""
    result = CliRunner().invoke(app, ["login", "valant", "--account", "devadmin",
                                      "--portal-url", "http://127.0.0.1:9"])
    assert result.exit_code == 1, result.output
    assert "a browser was started" in result.output
    assert refused_launches == ["browser"]


def test_record_with_a_good_url_goes_on_to_the_browser(
        toy: Path, refused_launches: list[str]) -> None:
    result = CliRunner().invoke(app, ["record", "toy.hello", "--portal-url",
                                      "http://127.0.0.1:9"])
    assert result.exit_code == 1, result.output
    assert "a browser was started" in result.output
    assert refused_launches == ["browser"]
