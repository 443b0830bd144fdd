"""``portwright sandbox <adapter>``: run an adapter's sandbox portal for a person to use.

Generic on purpose: the adapter is loaded by name through its entry point and builds
its own sandbox (``Adapter.sandbox``), so the engine never imports a portal package.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from portwright.exceptions import PortwrightError

__all__ = ["register", "sandbox"]


def sandbox(
    adapter: Annotated[str, typer.Argument(help="Adapter name, e.g. valant.")],
    port: Annotated[int, typer.Option(help="Port to listen on (0: a free port).")] = 8765,
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    ui_version: Annotated[
        str | None, typer.Option("--ui-version", help="UI release to imitate, e.g. 2026.1.")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Seed of the generated data.")] = None,
    patients: Annotated[int | None, typer.Option(help="How many patients to seed.")] = None,
    faults: Annotated[
        str, typer.Option(help="Fault spec, e.g. 'latency=200ms±100,error_rate=0.1'.")
    ] = "",
    db: Annotated[
        Path | None, typer.Option(help="SQLite file to use (kept between runs).")
    ] = None,
    session_ttl: Annotated[
        int | None, typer.Option("--session-ttl", help="Idle session timeout in seconds.")
    ] = None,
    single_session: Annotated[
        bool, typer.Option("--single-session", help="A new login ends older sessions.")
    ] = False,
) -> None:
    """Start a sandbox portal and serve it until Ctrl-C."""
    from portwright.adapter import SandboxOptions, load_adapter

    options = SandboxOptions(
        host=host, port=port, ui_version=ui_version, seed=seed, patients=patients,
        faults=faults, db_path=db, session_ttl_s=session_ttl, single_session=single_session,
    )
    typer.echo(f"preparing the {adapter} sandbox (a new database is seeded first)…", err=True)
    try:
        runner = load_adapter(adapter).sandbox(options)
    except (PortwrightError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"{adapter} sandbox serving at {runner.url}  (Ctrl-C to stop)", err=True)
    typer.echo(f"sign in at {runner.url}/login", err=True)
    runner.serve_forever()


def register(app: typer.Typer) -> None:
    app.command("sandbox")(sandbox)
