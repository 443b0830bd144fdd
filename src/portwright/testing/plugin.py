"""The pytest plugin registered under ``pytest11``: fixtures for adapter test suites.

Each family of fixtures lives in its own module; this module only gathers them and
registers their markers. The plugin loads in every pytest run of an environment that has
portwright, so it must never break one: without pytest-asyncio (``pip install
'portwright[testing]'``) it offers only its synchronous fixtures (the loopback services)
and says why once, as a warning, instead of failing to import.
"""

from __future__ import annotations

import pytest

from portwright.testing.markers import MARKERS
from portwright.testing.services_fixtures import dovecot
from portwright.testing.sshd_fixtures import sftp_drop, sshd

__all__ = ["dovecot", "pytest_configure", "pytest_load_initial_conftests", "sftp_drop", "sshd"]

try:
    import pytest_asyncio  # noqa: F401  (only to learn whether it is installed)
except ModuleNotFoundError:
    HAS_ASYNCIO_PLUGIN = False
else:
    HAS_ASYNCIO_PLUGIN = True

if HAS_ASYNCIO_PLUGIN:
    from portwright.testing.browser_fixtures import browser, context, playwright_instance
    from portwright.testing.replay_fixtures import replay_flow, replayed

    __all__ += ["browser", "context", "playwright_instance", "replay_flow", "replayed"]


def pytest_load_initial_conftests(early_config: pytest.Config, parser: pytest.Parser,
                                  args: list[str]) -> None:
    """Give pytest-asyncio's ``asyncio_default_fixture_loop_scope`` the session scope
    portwright's fixtures live in, unless the project sets it, so an adapter's project
    needs no pytest configuration (pytest-asyncio warns when it is unset). Runs once every
    plugin has declared its options; a setting in the project's own file still wins."""
    if HAS_ASYNCIO_PLUGIN:
        parser.addini("asyncio_default_fixture_loop_scope",
                      "default event loop scope of asynchronous fixtures", default="session")


def pytest_configure(config: pytest.Config) -> None:
    for line in MARKERS:
        config.addinivalue_line("markers", line)
    if not HAS_ASYNCIO_PLUGIN:
        config.issue_config_time_warning(pytest.PytestConfigWarning(
            "portwright's fixtures (browser, replay_flow, ...) need pytest-asyncio: "
            "pip install 'portwright[testing]'"), stacklevel=2)
