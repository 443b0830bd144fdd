"""Fixtures for real loopback services: one Dovecot for the whole test session.

Mailboxes are added per test with ``dovecot.add_user(address, password)`` (Dovecot
rereads its passwd-file), so one server serves every suite without restarts.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from portwright.testing.services.dovecot import DovecotServer

__all__ = ["dovecot"]


@pytest.fixture(scope="session")
def dovecot() -> Iterator[DovecotServer]:
    """A real Dovecot (IMAP + LMTP) on free loopback ports in a temporary directory."""
    with DovecotServer() as server:
        yield server
