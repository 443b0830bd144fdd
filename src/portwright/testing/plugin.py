"""The pytest plugin registered under ``pytest11``: fixtures for adapter test suites.

Each family of fixtures lives in its own module; this module only gathers them.
"""

from __future__ import annotations

from portwright.testing.browser_fixtures import browser, context, playwright_instance
from portwright.testing.replay_fixtures import pytest_configure, replay_flow, replayed
from portwright.testing.services_fixtures import dovecot
from portwright.testing.sshd_fixtures import sftp_drop, sshd

__all__ = [
    "browser",
    "context",
    "dovecot",
    "playwright_instance",
    "pytest_configure",
    "replay_flow",
    "replayed",
    "sftp_drop",
    "sshd",
]
