"""A saved session belongs to the portal instance it was signed in at.

One account name at two instances of a portal (staging and production, two practices on
one host where the browser would send the cookies along) shares the state folder: the
session PortalAuth saves records the URL it was signed in at, and an engine pointed at
another instance signs in there itself instead of installing the other's session."""

from __future__ import annotations

from pathlib import Path

import pytest

from portwright.auth.sessions.manager import SessionManager
from portwright_valant.testing import SandboxHandle

from .conftest import EngineFactory
from .test_sessions import _logins

pytestmark = pytest.mark.browser


async def test_a_session_saved_at_one_instance_is_not_installed_at_another(
        auth_portals: dict[str, SandboxHandle], make_engine: EngineFactory,
        tmp_path: Path) -> None:
    first, second = auth_portals["2025.4"], auth_portals["2026.1"]
    state = tmp_path / "shared"
    _, auth, _ = make_engine(first, state=state)
    await auth.run("valant.providers.list", {}, account="devadmin")
    saved = SessionManager(state / "state").load("valant", "devadmin")
    assert saved is not None and saved.portal_url == first.url

    before = _logins(second, "devadmin")
    _, other, _ = make_engine(second, state=state)
    await other.run("valant.providers.list", {}, account="devadmin")
    assert _logins(second, "devadmin") == before + 1   # signed in there itself
    again = SessionManager(state / "state").load("valant", "devadmin")
    assert again is not None and again.portal_url == second.url
    assert SessionManager(state / "state").load(
        "valant", "devadmin", portal_url=first.url) is None
