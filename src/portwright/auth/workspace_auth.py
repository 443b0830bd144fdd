"""The auth layer as the CLI (and scripts) use it: one engine, the workspace's credential
store, and ``PortalAuth`` over it.

The portal's base URL comes from ``--portal-url`` or the ``base_url`` setting of the
account in the credential store (``portwright secrets set valant base_url``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from portwright.auth.credentials import CredentialStore, load_fernet
from portwright.auth.portal_auth import DEFAULT_ACCOUNT, PortalAuth
from portwright.auth.sessions.manager import EnsureOutcome
from portwright.auth.sessions.vault import SessionVault
from portwright.exceptions import ConfigError
from portwright.runner.engine import Engine
from portwright.settings import Settings, load_settings

__all__ = ["LoginReport", "check_saved_session", "login", "workspace_auth"]


@dataclass(frozen=True)
class LoginReport:
    """What ``login`` did, for printing: never a secret."""

    portal: str
    account: str
    flow: str
    reused: bool


@asynccontextmanager
async def workspace_auth(
    portal: str,
    account: str | None,
    *,
    portal_url: str | None = None,
    settings: Settings | None = None,
    headless: bool | None = None,
    login_flow: str | None = None,
    health_flow: str | None = None,
) -> AsyncIterator[PortalAuth]:
    """An engine with the workspace's credential store and PortalAuth, closed after use."""
    settings = settings or load_settings()
    store = CredentialStore.for_workspace(settings.path("state"), account=account)
    url = portal_url or store.get(portal, "base_url")
    if not url:
        raise ConfigError(
            f"no URL for portal '{portal}'",
            hint=f"pass --portal-url or `portwright secrets set {portal} base_url`",
        )
    engine = Engine(settings, secrets=store, headless=headless, portal_urls={portal: url})
    auth = PortalAuth(
        engine,
        login_flows={portal: login_flow} if login_flow else None,
        health_flows={portal: health_flow} if health_flow else None,
    )
    try:
        yield auth
    finally:
        await engine.close()


async def login(
    portal: str,
    account: str | None,
    *,
    force: bool = False,
    portal_url: str | None = None,
    login_flow: str | None = None,
    headless: bool | None = None,
) -> LoginReport:
    """Leave a saved, healthy session for the account (logging in only if needed)."""
    async with workspace_auth(portal, account, portal_url=portal_url, login_flow=login_flow,
                              headless=headless) as auth:
        outcome: EnsureOutcome = await auth.ensure(portal, account, force_login=force)
        return LoginReport(portal, outcome.saved.account, auth.login_flow(portal, account),
                           reused=outcome.reused)


async def check_saved_session(
    portal: str,
    account: str | None,
    *,
    portal_url: str | None = None,
    health_flow: str | None = None,
) -> bool:
    """Whether the account's saved session passes the portal's health check."""
    settings = load_settings()
    state = settings.path("state")
    vault = SessionVault(state, lambda: load_fernet(state))
    if vault.load(portal, account or DEFAULT_ACCOUNT) is None:
        return False  # nothing saved: no browser needed to say so
    async with workspace_auth(portal, account, portal_url=portal_url, settings=settings,
                              health_flow=health_flow) as auth:
        return await auth.check(portal, account)
