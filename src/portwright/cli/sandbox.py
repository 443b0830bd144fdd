"""``portwright sandbox <adapter>``: run an adapter's sandbox portal for a person to use.

Generic on purpose: the adapter is loaded by name through its entry point and builds
its own sandbox (``Adapter.sandbox``), so the engine never imports a portal package.
"""

from __future__ import annotations

import errno
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from portwright.exceptions import PortwrightError

__all__ = ["register", "sandbox"]


def sandbox(
    adapter: Annotated[str, typer.Argument(help="Adapter name, e.g. valant.")],
    port: Annotated[int, typer.Option(min=0, max=65535,
                                      help="Port to listen on (0: a free port).")] = 8765,
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    ui_version: Annotated[
        str | None, typer.Option("--ui-version", help="UI release to imitate, e.g. 2026.1.")
    ] = None,
    seed: Annotated[
        int | None, typer.Option(help="Seed of the generated data (a new database only).")
    ] = None,
    patients: Annotated[
        int | None, typer.Option(help="How many patients to seed (a new database only).")
    ] = None,
    faults: Annotated[
        str, typer.Option(
            # a space after the comma: the spec is one word otherwise, which help cuts
            # short with an ellipsis at 80 columns, an example that no longer pastes
            help="Fault spec, e.g. 'latency=200ms±100, error_rate=0.1'.")
    ] = "",
    db: Annotated[
        Path | None,
        typer.Option(help="SQLite file, kept between runs: an existing one is reused as is."),
    ] = None,
    session_ttl: Annotated[
        int | None, typer.Option("--session-ttl", help="Idle session timeout in seconds.")
    ] = None,
    single_session: Annotated[
        bool, typer.Option("--single-session", help="A new login ends older sessions.")
    ] = False,
) -> None:
    """Start a sandbox portal and serve it until Ctrl-C (or SIGTERM).

    The banner with the URL is printed once the portal accepts connections, so a script
    may wait for it; a taken port is an error (exit 1) and no banner. An existing ``--db``
    is reused as is: ``--seed`` and ``--patients`` shape only a new database (a warning
    says so when they are given with an existing one). SIGTERM (``kill PID``) stops it
    as cleanly as Ctrl-C, at any point (while seeding too): a temporary database is
    removed, ``--db`` kept; exit 0 and no traceback.
    """
    with _sigterm_stops():
        _sandbox(adapter, port=port, host=host, ui_version=ui_version, seed=seed,
                 patients=patients, faults=faults, db=db, session_ttl=session_ttl,
                 single_session=single_session)


class _Terminated(BaseException):
    """SIGTERM arrived: unwinds the command like ``KeyboardInterrupt`` (every ``finally``
    and cleanup on the way runs), then ends it with exit 0. A ``BaseException`` so no
    ``except Exception`` on the way swallows it."""


@contextmanager
def _sigterm_stops() -> Iterator[None]:
    """SIGTERM (``kill PID``, systemd, container runtimes) raises ``_Terminated`` in the
    main thread, and the command ends with exit 0 once it has unwound.

    Without this the default action kills the process on the spot, and a SIGTERM
    uvicorn took while serving is re-raised to that default once uvicorn has shut down
    (uvicorn restores the previous handler, then ``signal.raise_signal``): either
    way no cleanup runs and a temporary database folder stays behind. Here uvicorn
    restores (and re-raises to) this handler instead, after its graceful shutdown.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return

    def on_sigterm(signum: int, frame: FrameType | None) -> None:
        # one stop is enough: a second SIGTERM must not cut the cleanup short
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise _Terminated

    previous = signal.signal(signal.SIGTERM, on_sigterm)
    try:
        yield
    except _Terminated:
        pass  # stopped as asked, cleaned up on the way: exit 0
    finally:
        signal.signal(signal.SIGTERM, previous)


def _sandbox(adapter: str, *, port: int, host: str, ui_version: str | None,
             seed: int | None, patients: int | None, faults: str, db: Path | None,
             session_ttl: int | None, single_session: bool) -> None:
    from portwright.adapter import SandboxOptions, load_adapter

    try:
        loaded = load_adapter(adapter)
    except PortwrightError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    options = SandboxOptions(
        host=host, port=port, ui_version=ui_version, seed=seed, patients=patients,
        faults=faults, db_path=db, session_ttl_s=session_ttl, single_session=single_session,
    )
    _say_which_database(adapter, db, seed=seed, patients=patients)
    try:
        runner = loaded.sandbox(options)
    except OSError as exc:
        typer.echo(f"error: {_os_problem(exc, host, port)}", err=True)
        raise typer.Exit(1) from None
    except (PortwrightError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None

    def announce() -> None:
        typer.echo(f"{adapter} sandbox serving at {runner.url}  (Ctrl-C to stop)", err=True)
        typer.echo(f"sign in at {runner.url}/login", err=True)

    try:
        runner.serve_forever(on_ready=announce)
    except OSError as exc:
        typer.echo(f"error: {_os_problem(exc, host, port)}", err=True)
        raise typer.Exit(1) from None


def _say_which_database(adapter: str, db: Path | None, *, seed: int | None,
                        patients: int | None) -> None:
    """Whether a new database is seeded or an existing one reused, before the (possibly
    long) seeding starts; a warning for seeding options an existing database ignores."""
    if db is None or not db.is_file() or db.stat().st_size == 0:
        typer.echo(f"preparing the {adapter} sandbox (a new database is seeded first)…",
                   err=True)
        return
    typer.echo(f"preparing the {adapter} sandbox (reusing the existing database {db})…",
               err=True)
    ignored = [flag for flag, value in (("--seed", seed), ("--patients", patients))
               if value is not None]
    if ignored:
        verb = "applies" if len(ignored) == 1 else "apply"
        typer.echo(f"warning: {' and '.join(ignored)} {verb} only when a new database is "
                   f"seeded; {db} is reused as is, with the data it was seeded with and "
                   f"what earlier runs wrote (delete it, or pass another --db, to seed anew)",
                   err=True)


def _os_problem(exc: OSError, host: str, port: int) -> str:
    """A person's reading of a failure to listen (or to open a file)."""
    if exc.errno == errno.EADDRINUSE:
        return (f"port {port} is already in use on {host} (another server is listening "
                f"there); stop it, or choose another port (--port 0 picks a free one)")
    reason = exc.strerror or str(exc)
    if exc.filename is not None:
        return f"{reason}: {exc.filename}"
    return f"cannot listen on {host}:{port}: {reason}"


def register(app: typer.Typer) -> None:
    app.command("sandbox")(sandbox)
