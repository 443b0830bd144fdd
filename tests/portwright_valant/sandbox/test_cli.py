"""``portwright sandbox valant`` starts a portal a person can open in a browser."""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import httpx
from typer.testing import CliRunner

from portwright.cli.app import app
from portwright_valant.sandbox.config import SandboxConfig
from portwright_valant.sandbox.database import prepare_database

PORTWRIGHT = str(Path(sys.executable).parent / "portwright")
BANNER = re.compile(r"serving at (http://127\.0\.0\.1:\d+)")


@contextmanager
def _sandbox_process(*args: str, tmpdir: Path | None = None
                     ) -> Iterator[subprocess.Popen[str]]:
    """The command running; ``tmpdir``: its TMPDIR (where a temporary database goes)."""
    env = None if tmpdir is None else {**os.environ, "TMPDIR": str(tmpdir)}
    proc = subprocess.Popen([PORTWRIGHT, "sandbox", "valant", *args],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL, text=True, env=env)
    try:
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if proc.stderr is not None:
            proc.stderr.close()


def _lines_until_banner(proc: subprocess.Popen[str]) -> tuple[list[str], str]:
    """The command's messages up to and including the banner, and the URL it names."""
    assert proc.stderr is not None
    lines: list[str] = []
    for line in proc.stderr:  # one line at a time, as a script waiting for it would
        lines.append(line)
        match = BANNER.search(line)
        if match:
            return lines, match.group(1)
    raise AssertionError(f"no banner; exit {proc.wait(timeout=20)}; output: {lines}")


def test_cli_serves_the_login_page_until_terminated(tmp_path: Path) -> None:
    db = tmp_path / "portal.sqlite3"
    with _sandbox_process("--port", "0", "--patients", "30", "--ui-version", "2026.1",
                          "--seed", "3", "--db", str(db)) as proc:
        with httpx.Client(timeout=10) as client:  # built first: the banner is the cue
            lines, url = _lines_until_banner(proc)
            # the banner means "accepting now": connect at once, no retries, no waiting
            host, port = url.removeprefix("http://").split(":")
            socket.create_connection((host, int(port)), timeout=10).close()
            page = client.get(f"{url}/login")
        assert page.status_code == 200
        assert '<meta name="app-version" content="2026.1.2">' in page.text
        assert 'name="password"' in page.text
    assert "preparing the valant sandbox (a new database is seeded first)" in lines[0]
    assert db.exists()


def _terminate(proc: subprocess.Popen[str]) -> tuple[int, str]:
    """SIGTERM (what ``kill PID``, systemd and container runtimes send): the exit status
    and what the command printed after it."""
    assert proc.stderr is not None
    proc.send_signal(signal.SIGTERM)
    status = proc.wait(timeout=30)
    return status, proc.stderr.read()


def test_cli_stopped_with_sigterm_removes_its_temporary_database(tmp_path: Path) -> None:
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    with _sandbox_process("--port", "0", "--patients", "5", tmpdir=tmpdir) as proc:
        _, url = _lines_until_banner(proc)
        assert httpx.get(f"{url}/login", timeout=10).status_code == 200
        (used,) = tmpdir.iterdir()  # the database folder it made and serves from
        assert used.name.startswith("valant-sandbox-")
        assert (used / "valant.sqlite3").is_file()
        status, rest = _terminate(proc)
    assert list(tmpdir.iterdir()) == []
    assert status == 0
    assert "Traceback" not in rest and "Error" not in rest


def test_cli_stopped_with_sigterm_while_seeding_removes_the_half_seeded_database(
    tmp_path: Path
) -> None:
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    # 100,000 patients take many seconds to seed: the signal arrives while seeding
    with _sandbox_process("--port", "0", "--patients", "100000", tmpdir=tmpdir) as proc:
        assert proc.stderr is not None
        assert "a new database is seeded first" in proc.stderr.readline()
        status, rest = _terminate(proc)
    assert status == 0
    assert "serving at" not in rest and "Traceback" not in rest
    assert list(tmpdir.iterdir()) == []


def test_cli_stopped_with_sigterm_keeps_a_given_database(tmp_path: Path) -> None:
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    db = tmp_path / "kept.sqlite3"
    with _sandbox_process("--port", "0", "--patients", "5", "--db", str(db),
                          tmpdir=tmpdir) as proc:
        _lines_until_banner(proc)
        status, rest = _terminate(proc)
    assert status == 0
    assert "Traceback" not in rest
    assert list(tmpdir.iterdir()) == []  # nothing temporary was made
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT count(*) FROM patients").fetchone()[0] == 5


def test_cli_refuses_a_taken_port_without_printing_the_banner() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [PORTWRIGHT, "sandbox", "valant", "--port", str(port), "--patients", "0"],
            capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert "serving at" not in done.stderr + done.stdout
    assert f"error: port {port} is already in use on 127.0.0.1" in done.stderr
    assert "Traceback" not in done.stderr and "Errno" not in done.stderr
    assert done.returncode == 1


def test_cli_says_an_existing_database_is_reused_and_patients_does_not_apply(
    tmp_path: Path
) -> None:
    db = tmp_path / "kept.sqlite3"
    prepare_database(SandboxConfig(patients=5, db_path=db))
    with _sandbox_process("--port", "0", "--db", str(db), "--patients", "50") as proc:
        lines, url = _lines_until_banner(proc)
        assert httpx.get(f"{url}/login", timeout=10).status_code == 200
    text = "".join(lines)
    assert "a new database is seeded first" not in text
    assert f"reusing the existing database {db}" in text
    assert ("warning: --patients applies only when a new database is seeded; "
            f"{db} is reused as is") in text
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT count(*) FROM patients").fetchone()[0] == 5


def test_cli_rejects_an_unknown_ui_version() -> None:
    result = CliRunner().invoke(app, ["sandbox", "valant", "--ui-version", "1999.9"])
    assert result.exit_code == 2
    assert "unknown ui_version '1999.9'" in result.output


def test_cli_names_the_installed_adapters_for_an_unknown_one() -> None:
    result = CliRunner().invoke(app, ["sandbox", "nosuchportal"])
    assert result.exit_code == 2
    assert "no adapter named 'nosuchportal'" in result.output
    assert "preparing" not in result.output


def test_cli_refuses_a_port_number_no_socket_can_have() -> None:
    """--port 99999 once served on 34463 (99999 - 65536), a port nobody asked for."""
    result = CliRunner().invoke(app, ["sandbox", "valant", "--port", "99999"])
    assert result.exit_code == 2
    assert "--port" in result.output and "65535" in result.output
    assert "preparing" not in result.output and "serving at" not in result.output
