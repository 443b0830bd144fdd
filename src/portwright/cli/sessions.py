"""``portwright sessions list | check | drop``: the saved sessions of this workspace.

Nothing here prints a cookie or token: ``list`` shows who, when and how many cookies;
``check`` runs the portal's health-check flow against the saved session.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from portwright.cli.conventional_help import PortwrightTyper
from portwright.exceptions import PortwrightError

if TYPE_CHECKING:
    from portwright.auth.sessions import SessionVault

#: ``portwright.auth.portal_auth.DEFAULT_ACCOUNT``, written out: the signatures need it at
#: start-up and importing ``portal_auth`` there costs every command (a test checks the two
#: agree).
DEFAULT_ACCOUNT = "default"

sessions_app = PortwrightTyper(help="Saved (encrypted) portal sessions.", no_args_is_help=True)


def _vault() -> SessionVault:
    from portwright.auth.credentials import load_fernet
    from portwright.auth.sessions import SessionVault
    from portwright.settings import load_settings

    state = load_settings().path("state")
    return SessionVault(state, lambda: load_fernet(state, create=True))


def _when(ts: float | None) -> str:
    if ts is None:
        return "-"
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


@sessions_app.command("list")
def list_sessions(
    portal: Annotated[str | None, typer.Argument(help="Only this portal.")] = None,
) -> None:
    """Saved sessions: portal, account, saved and last checked (never their contents);
    tab-separated when piped."""
    from portwright.cli.listing import print_listing

    try:
        sessions, unusable = _vault().survey(portal)
    except PortwrightError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    print_listing("saved sessions", ("portal", "account", "saved", "last healthy", "cookies"),
                  [(s.portal, s.account, _when(s.saved_at), _when(s.checked_at),
                    str(s.snapshot.cookie_count)) for s in sessions])
    # the readable ones are listed whatever one damaged file says; each of those is an
    # error line of its own (on stderr, so a pipe reads only sessions), and exit 1
    for problem in unusable:
        typer.echo(f"error: {problem}", err=True)
    if unusable:
        raise typer.Exit(1)
    if not sessions:  # a message, not a row: on stderr, so a pipe reads only sessions
        typer.echo("no saved sessions; create one with "
                   "`portwright login <portal> [--account NAME]`", err=True)


@sessions_app.command("drop")
def drop_session(
    portal: Annotated[str, typer.Argument()],
    account: Annotated[str, typer.Option(
        "--account", "-a", help="Account name (default: the portal's default account, "
        "the one runs without --account use).")] = DEFAULT_ACCOUNT,
) -> None:
    """Forget a saved session (the next run logs in again)."""
    try:
        dropped = _vault().drop(portal, account)
    except PortwrightError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"dropped {portal}/{account}" if dropped else f"no saved session {portal}/{account}")
    if not dropped:
        raise typer.Exit(1)


@sessions_app.command("check")
def check_session(
    portal: Annotated[str, typer.Argument()],
    account: Annotated[str, typer.Option(
        "--account", "-a", help="Account name (default: the portal's default account, "
        "the one runs without --account use).")] = DEFAULT_ACCOUNT,
    portal_url: Annotated[
        str | None, typer.Option("--portal-url", help="Base URL of the portal.")
    ] = None,
    health_flow: Annotated[
        str | None, typer.Option("--health-flow", help="Default: <portal>.session.check")
    ] = None,
) -> None:
    """Run the health check on the saved session: exit 0 healthy, 1 expired or missing."""
    import asyncio

    from portwright.auth.workspace_auth import check_saved_session

    try:
        healthy = asyncio.run(
            check_saved_session(portal, account, portal_url=portal_url, health_flow=health_flow)
        )
    except PortwrightError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{portal}/{account}: " + ("healthy" if healthy else "expired or missing"))
    if not healthy:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(sessions_app, name="sessions")
