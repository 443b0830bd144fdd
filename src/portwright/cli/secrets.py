"""``portwright secrets``: put named secrets in the workspace's encrypted file.

Values are read from a hidden prompt or stdin, never from the command line (where
shell history and ``ps`` would keep them), and ``list`` shows names and where they come
from, never values.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from portwright.cli.conventional_help import PortwrightTyper
from portwright.exceptions import PortwrightError

if TYPE_CHECKING:
    from portwright.auth.credentials import EncryptedFileSource

secrets_app = PortwrightTyper(help="Store named secrets (passwords, TOTP seeds...) encrypted.",
                              no_args_is_help=True)

AccountOpt = Annotated[
    str | None, typer.Option("--account", "-a", help="Only for this account of the portal.")
]


def _file_source() -> EncryptedFileSource:
    from portwright.auth.credentials import (
        EncryptedFileSource,
        default_secrets_file,
        load_fernet,
    )
    from portwright.settings import load_settings

    state = load_settings().path("state")
    return EncryptedFileSource(
        default_secrets_file(state), lambda: load_fernet(state, create=True)
    )


def _portal_name(portal: str) -> str:
    """Portal names are lower case (they are the first part of flow names, which are);
    ``Valant`` is stored as ``valant``, where ``{{ secrets.valant.* }}`` finds it."""
    return portal.lower()


def _fail(exc: PortwrightError) -> typer.Exit:
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(1)


def _unwritten(exc: OSError) -> typer.Exit:
    """A secrets file (or its key) that could not be written: the writes go to a temporary
    file moved into place, so the file as it was is still there, and still readable."""
    from portwright.auth.credentials import default_secrets_file
    from portwright.settings import load_settings

    where = exc.filename or default_secrets_file(load_settings().path("state"))
    typer.echo(f"error: cannot write {where}: {exc.strerror or exc}; the secrets file is "
               "unchanged", err=True)
    return typer.Exit(1)


@secrets_app.command("set")
def set_secret(
    portal: Annotated[str, typer.Argument(help="Portal name, e.g. valant.")],
    name: Annotated[str, typer.Argument(help="Secret name, e.g. password or totp_secret.")],
    account: AccountOpt = None,
    stdin: Annotated[bool, typer.Option("--stdin", help="Read the value from stdin.")] = False,
) -> None:
    """Store a secret; flows read it as {{ secrets.PORTAL.NAME }}."""
    from portwright.auth.credentials import SecretKey

    try:
        key = SecretKey(portal=_portal_name(portal), name=name, account=account)
        if stdin:
            # one line ending only: "\r\n" from a Windows editor or `echo` in PowerShell
            # would otherwise become part of the password, and what is before it is
            value = sys.stdin.read().removesuffix("\n").removesuffix("\r")
        elif not sys.stdin.isatty():  # a script: getpass would echo, then read nothing
            typer.echo(f"error: no terminal to ask for {key.dotted}; nothing stored",
                       err=True)
            typer.echo("  hint: pipe the value in with --stdin", err=True)
            raise typer.Exit(2)
        else:
            value = typer.prompt(f"value for {key.dotted}", hide_input=True)
        if not value:
            typer.echo("error: empty value; nothing stored", err=True)
            raise typer.Exit(1)
        source = _file_source()
        source.set(key, value)
    except PortwrightError as exc:
        raise _fail(exc) from None
    except OSError as exc:  # a full disk, a read-only state folder
        raise _unwritten(exc) from None
    typer.echo(f"stored {key.dotted} in {source.path}")


@secrets_app.command("delete")
def delete_secret(
    portal: Annotated[str, typer.Argument()],
    name: Annotated[str, typer.Argument()],
    account: AccountOpt = None,
) -> None:
    """Remove a secret from the encrypted file."""
    from portwright.auth.credentials import SecretKey

    try:
        key = SecretKey(portal=_portal_name(portal), name=name, account=account)
        found = _file_source().delete(key)
    except PortwrightError as exc:
        raise _fail(exc) from None
    except OSError as exc:
        raise _unwritten(exc) from None
    typer.echo(f"deleted {key.dotted}" if found else f"{key.dotted} was not stored")
    if not found:
        raise typer.Exit(1)


@secrets_app.command("list")
def list_secrets(
    portal: Annotated[str | None, typer.Argument(help="Only this portal.")] = None,
) -> None:
    """Secret names and where each comes from (values are never shown); tab-separated
    when piped."""
    from portwright.auth.credentials import ENV_PREFIX
    from portwright.cli.listing import print_listing

    rows: list[tuple[str, str]] = []
    try:
        source = _file_source()
        rows += [(n, str(source.path)) for n in source.names()]
    except PortwrightError as exc:
        raise _fail(exc) from None
    rows += [(n, "environment") for n in sorted(os.environ) if n.startswith(ENV_PREFIX)]
    if portal:
        portal = _portal_name(portal)
        env_head = ENV_PREFIX + portal.upper().replace("-", "_") + "_"
        rows = [(n, s) for n, s in rows if n.startswith(f"{portal}.") or n.startswith(env_head)]
    print_listing("secrets", ("name", "source"), rows)


@secrets_app.command("init-key")
def init_key() -> None:
    """Create the workspace key file (mode 0600) unless PORTWRIGHT_SECRET_KEY is used."""
    from portwright.auth.credentials import create_key_file, default_key_file
    from portwright.settings import load_settings

    path = default_key_file(load_settings().path("state"))
    try:
        create_key_file(path)
    except PortwrightError as exc:
        raise _fail(exc) from None
    typer.echo(f"created {path} (mode 0600); keep it out of version control")


def register(app: typer.Typer) -> None:
    app.add_typer(secrets_app, name="secrets")
