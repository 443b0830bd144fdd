"""A pinned selector-map version through the Python API: one the portal has no map of is
refused before any browsing, as ``portwright run --selectors-version`` refuses it (the
run picks its map only at the first logical name, so the pin was ignored by a flow
without one, or refused only after earlier steps had run); one that exists is reported
as honoured (``version_pinned``) even by a flow that resolves no name."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import Browser

from portwright.auth.portal_auth import PortalAuth
from portwright.exceptions import ConfigError, SelectorMapError
from portwright.runner.engine import Engine
from portwright.settings import load_settings

pytestmark = pytest.mark.browser

UNKNOWN_PIN = r"pinned selector-map version '2099\.1' does not exist; expected one of 4\.0"

#: a health check and a login for the toy portal: with them PortalAuth signs in first
AUTH_FLOWS = {
    "session_check.yaml": """flow: toy.session.check
outputs:
  healthy: {value: "false"}
steps:
  - {action: goto, url: "{{ portal.base_url }}/"}
""",
    "login.yaml": """flow: toy.login
steps:
  - {action: goto, url: "{{ portal.base_url }}/signed-in"}
""",
}


@pytest.fixture
def dead_url() -> str:
    """A loopback URL nothing listens on (the probe's port, once it is closed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


@pytest.fixture
def opened(ws: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every attempt to open the browser (refused, so a run that gets there fails)."""
    for name, text in AUTH_FLOWS.items():
        (ws / "flows" / "toy" / name).write_text(text)
    monkeypatch.setenv("PORTWRIGHT_STATE", str(ws / "state"))
    attempts: list[str] = []

    async def no_browser(self: Engine) -> None:
        attempts.append("browser")
        raise ConfigError("the browser was opened")

    monkeypatch.setattr(Engine, "start", no_browser)
    return attempts


@pytest.mark.parametrize("pinned_by", ["run", "engine"])
async def test_an_unknown_pin_is_refused_before_any_browsing(
        ws: Path, opened: list[str], dead_url: str, pinned_by: str) -> None:
    engine = Engine(load_settings(ws), portal_urls={"toy": dead_url},
                    selector_versions={"toy": "2099.1"} if pinned_by == "engine" else None)
    options: dict[str, Any] = {"selector_version": "2099.1"} if pinned_by == "run" else {}
    for flow in ("toy.names", "toy.signed_in"):  # with logical names, and without any
        with pytest.raises(SelectorMapError, match=UNKNOWN_PIN):
            await engine.run(flow, **options)
    assert opened == []


async def test_portal_auth_refuses_an_unknown_pin_before_signing_in(
        ws: Path, opened: list[str], dead_url: str) -> None:
    engine = Engine(load_settings(ws))
    auth = PortalAuth(engine)
    assert auth.manages("toy")  # without the check it would sign in first
    with pytest.raises(SelectorMapError, match=UNKNOWN_PIN):
        await auth.run("toy.names", {"limit": 1}, portal_url=dead_url,
                       selector_version="2099.1")
    assert opened == []


@pytest_asyncio.fixture(loop_scope="session")
async def live(browser: Browser, ws: Path, toy_site: Any) -> AsyncIterator[Engine]:
    engine = Engine(load_settings(ws), browser=browser, portal_urls={"toy": toy_site.url})
    yield engine
    await engine.close()


async def test_a_pin_that_exists_is_reported_even_by_a_flow_without_logical_names(
        live: Engine) -> None:
    plain = await live.run("toy.signed_in", selector_version="4.0")
    assert [s.action for s in plain.steps] == ["goto", "goto"]
    assert plain.resolutions == []
    assert (plain.version_pinned, plain.portal_version) == (True, "4.0")

    live.selector_versions["toy"] = "4.0"  # pinned for every run of the engine
    assert (await live.run("toy.signed_in")).version_pinned is True

    named = await live.run("toy.names", selector_version="4.0")
    assert (named.version_pinned, named.portal_version, named.selector_map_version) == (
        True, "4.0", "4.0")


async def test_an_unpinned_run_says_it_was_not_pinned(live: Engine) -> None:
    plain = await live.run("toy.signed_in")
    assert (plain.version_pinned, plain.portal_version) == (False, None)
    named = await live.run("toy.names")
    assert (named.version_pinned, named.portal_version) == (False, "4.0")  # detected
