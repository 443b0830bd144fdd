"""The portal URL a command uses when ``--portal-url`` is not given: the ``base_url``
secret (``portwright secrets set <portal> base_url``), the account's own before the
portal's, looked up as ``Engine.stored_base_url`` does for ``run``. Shared by ``login``
and ``record``, so that one stored URL serves every command that opens the portal."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from portwright.exceptions import PortwrightError

if TYPE_CHECKING:
    from portwright.settings import Settings

__all__ = ["given_or_stored_url"]


def given_or_stored_url(settings: Settings, portal: str, account: str | None,
                        given: str | None) -> str | None:
    """``given`` (the option), else the stored ``base_url``, else None (left to the
    caller's check, which exits 2 saying both ways to give one). A secrets store that
    cannot be read exits 1: no command given differently mends it."""
    if given:
        return given
    from portwright.auth.credentials import CredentialStore

    try:
        store = CredentialStore.for_workspace(settings.path("state"), account=account)
        return store.get(portal, "base_url") or None
    except PortwrightError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
