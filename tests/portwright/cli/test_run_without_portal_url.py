"""``portwright run`` with no portal URL (no ``--portal-url``, no ``base_url`` secret) for
a flow that needs one is refused before a browser opens: exit 2, naming both ways to give
the URL. It used to start the browser, begin the login flow, stop at its first ``goto``
and save a failure screenshot of a blank page for what is a configuration mistake."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from portwright.cli.app import app
from portwright.runner import browser_pool


@pytest.fixture
def launches(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every browser started (each really is, so a run goes as far as it would)."""
    seen: list[str] = []
    real = browser_pool.acquire

    async def counted(*args: Any, **kwargs: Any) -> Any:
        seen.append("browser")
        return await real(*args, **kwargs)

    monkeypatch.setattr(browser_pool, "acquire", counted)
    return seen


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.mark.parametrize("flow", ["valant.providers.list", "valant.patients.list"])
def test_no_portal_url_is_refused_before_a_browser_opens(
        valant_without_url: Path, launches: list[str], flow: str) -> None:
    result = CliRunner().invoke(app, ["run", flow])
    assert result.exit_code == 2, result.output
    assert "no URL was given for portal 'valant'" in result.output
    assert "--portal-url" in result.output
    assert "portwright secrets set valant base_url" in result.output
    assert launches == []
    assert _files(valant_without_url) == []  # no failure screenshot, trace or step log
    assert "Traceback" not in result.output


def test_a_malformed_stored_base_url_is_refused_before_a_browser_opens(
        valant_without_url: Path, launches: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTWRIGHT_SECRET_VALANT_BASE_URL", "portal.example")
    result = CliRunner().invoke(app, ["run", "valant.providers.list"])
    assert result.exit_code == 2, result.output
    assert "'portal.example'" in result.output
    assert "is not an absolute http(s) URL" in result.output
    assert launches == []
    assert _files(valant_without_url) == []


@pytest.mark.browser
def test_the_stored_base_url_counts_as_a_url(
        valant_without_url: Path, launches: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The secret is looked up as the run would: with it, the run goes on (here to a
    port nothing listens on, so it fails there, exit 1)."""
    monkeypatch.setenv("PORTWRIGHT_SECRET_VALANT_BASE_URL", "http://127.0.0.1:9")
    result = CliRunner().invoke(app, ["run", "valant.providers.list"])
    assert result.exit_code == 1, result.output
    assert "no URL was given" not in result.output
    assert launches == ["browser"]
