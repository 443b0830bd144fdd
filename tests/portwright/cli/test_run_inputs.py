"""``portwright run`` checks a flow's inputs before it signs in: a typo must not cost a
login (and its wait for a fresh MFA code), let alone a failed one against a portal that
is down. It is a usage error: exit 2, not the 1 of a run that failed. The portal here is
a port nothing listens on, so signing in first would fail with a connection error
instead of naming the input."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portwright.cli import app


def _dead_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.mark.parametrize(("flow", "inputs", "says"), [
    ("valant.providers.list", ["--input", "statuz=active"],
     "valant.providers.list: input 'statuz': not declared by the flow"),
    ("valant.appointments.create", [], "valant.appointments.create: input 'patient_id': is "
                                       "required"),
    ("valant.patients.list", ["--input", "max_results=many"], "max_results"),
])
def test_an_input_mistake_is_reported_before_signing_in(
        tmp_path: Path, flow: str, inputs: list[str], says: str) -> None:
    env = {"COLUMNS": "250", "PORTWRIGHT_STATE": str(tmp_path / "state"),
           "PORTWRIGHT_SECRET_VALANT_USERNAME": "u", "PORTWRIGHT_SECRET_VALANT_PASSWORD": "p"}
    result = CliRunner().invoke(app, ["run", flow, "--portal-url", _dead_url(), *inputs],
                                env=env)
    assert result.exit_code == 2, result.output
    assert says in result.output
    assert "ECONNREFUSED" not in result.output and "session.check" not in result.output
