"""``portwright sandbox valant`` starts a portal a person can open in a browser."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import httpx
from typer.testing import CliRunner

from portwright.cli.app import app

PORTWRIGHT = str(Path(sys.executable).parent / "portwright")


def test_cli_serves_the_login_page_until_terminated(tmp_path: Path) -> None:
    db = tmp_path / "portal.sqlite3"
    proc = subprocess.Popen(
        [PORTWRIGHT, "sandbox", "valant", "--port", "0",
         "--patients", "30", "--ui-version", "2026.1", "--seed", "3", "--db", str(db)],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
    )
    try:
        assert proc.stderr is not None
        assert "preparing the valant sandbox" in proc.stderr.readline()
        banner = proc.stderr.readline()  # printed once the server is built
        match = re.search(r"serving at (http://127\.0\.0\.1:\d+)", banner)
        assert match, banner
        url = match.group(1)
        # the port opens right after the banner; the transport retries refused connects
        with httpx.Client(transport=httpx.HTTPTransport(retries=6), timeout=10) as client:
            page = client.get(f"{url}/login")
        assert page.status_code == 200
        assert '<meta name="app-version" content="2026.1.2">' in page.text
        assert 'name="password"' in page.text
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert db.exists()


def test_cli_rejects_an_unknown_ui_version() -> None:
    result = CliRunner().invoke(app, ["sandbox", "valant", "--ui-version", "1999.9"])
    assert result.exit_code == 2
    assert "unknown ui_version '1999.9'" in result.output


def test_cli_names_the_installed_adapters_for_an_unknown_one() -> None:
    result = CliRunner().invoke(app, ["sandbox", "nosuchportal"])
    assert result.exit_code == 2
    assert "no adapter named 'nosuchportal'" in result.output
