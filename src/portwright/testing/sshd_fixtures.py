"""The ``sshd`` fixture: one real OpenSSH SFTP server per test session.

Starting sshd and generating keys costs ~0.2 s; tests that need an empty drop
directory use ``sftp_drop`` which gives each test its own subdirectory.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from portwright.testing.services.sshd import SshdServer

__all__ = ["sftp_drop", "sshd"]


@pytest.fixture(scope="session")
def sshd() -> Iterator[SshdServer]:
    """A running sshd with the sftp subsystem on a free loopback port."""
    with SshdServer() as server:
        yield server


@pytest.fixture
def sftp_drop(sshd: SshdServer, request: pytest.FixtureRequest) -> Path:
    """A fresh, empty drop directory on the server for this test."""
    path: Path = sshd.drop_dir / request.node.name.replace("/", "_").replace("[", "_").strip("]")
    path.mkdir(parents=True, exist_ok=False)
    return path
