"""``portwright login <portal> [--account NAME]``: leave a saved, healthy session.

Reuses the saved session when the portal's health check accepts it; otherwise runs the
account's login flow (MFA included) under the account's cross-process lock and saves
the new session encrypted. Prints who and how, never a secret. Without ``--account``,
the portal's default account: the one ``run`` and ``sessions check`` use without it.
"""

from __future__ import annotations

from typing import Annotated

import typer

from portwright.cli.run import check_portal_url
from portwright.cli.sessions import DEFAULT_ACCOUNT
from portwright.exceptions import PortwrightError

__all__ = ["login", "register"]


def login(
    portal: Annotated[str, typer.Argument(help="Portal name, e.g. valant.")],
    account: Annotated[str | None, typer.Option(
        "--account", "-a", help=f"Account name (default: '{DEFAULT_ACCOUNT}', the account "
        "runs without --account use).")] = None,
    portal_url: Annotated[
        str | None, typer.Option("--portal-url", help="Base URL (default: secret base_url).")
    ] = None,
    flow: Annotated[
        str | None,
        typer.Option("--flow", help="Login flow (default: the account's login_flow, "
                                    "else <portal>.login)."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Log in even if the saved session is good.")
    ] = False,
    headed: Annotated[bool, typer.Option("--headed", help="Show the browser.")] = False,
) -> None:
    """Log in (or confirm the saved session) for one account of a portal.

    Exit status: 0 logged in (or the saved session reused), 1 the login failed, 2 the
    command was given wrongly (no portal URL, or a malformed one), found before a browser
    opens."""
    import asyncio

    from portwright.auth.workspace_auth import login as do_login
    from portwright.cli.stored_portal_url import given_or_stored_url
    from portwright.settings import load_settings

    # the URL as the login will look it up: the option, else the base_url secret
    url = given_or_stored_url(load_settings(), portal, account, portal_url)
    # every login needs one (the auth layer refuses to start without it), whatever its flow
    check_portal_url(portal, url, lambda: "logging in needs the portal's URL")
    try:
        report = asyncio.run(do_login(
            portal, account, force=force, portal_url=portal_url, login_flow=flow,
            headless=False if headed else None,
        ))
    except PortwrightError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    how = "saved session is healthy (reused)" if report.reused else \
        f"logged in with {report.flow}; session saved (encrypted)"
    typer.echo(f"{report.portal}/{report.account}: {how}")


def register(app: typer.Typer) -> None:
    app.command("login")(login)
