"""The root Typer application and the explicit list of command modules.

Each module in ``COMMAND_MODULES`` exposes ``register(app)`` and adds its own command or
group; adding a capability means adding a module and one line here, never editing
another group.

Every invocation, ``portwright --help`` included, imports all of these modules, so they
import lazily: at module level only typer, typing, cheap stdlib modules and what the
command signatures need (Typer evaluates their annotations and defaults); the engine,
Playwright, the recorder, HTTP clients, Rich tables, X12 and auth are imported inside the
command that uses them (names needed only in annotations go under ``TYPE_CHECKING``).
Otherwise each command would make every other one start like a browser run;
``tests/portwright/cli/test_startup_imports.py`` guards this and
``bench/cli_startup.py`` measures it.
"""

from __future__ import annotations

import importlib
from typing import Annotated

import typer

from portwright import __version__
from portwright.cli.conventional_help import PortwrightTyper
from portwright.exceptions import PortwrightError

COMMAND_MODULES: tuple[str, ...] = (
    "portwright.cli.doctor",
    "portwright.cli.settings_report",
    "portwright.cli.run",
    "portwright.cli.validate",
    "portwright.cli.flows",
    "portwright.cli.schema",
    "portwright.cli.selectors",
    "portwright.cli.secrets",
    "portwright.cli.login",
    "portwright.cli.sessions",
    "portwright.cli.demo",
    "portwright.cli.sandbox",
    "portwright.cli.schema_entities",
    "portwright.cli.claims",
    "portwright.cli.era",
    "portwright.cli.record",
    "portwright.cli.replay",
    "portwright.cli.recordings",
    "portwright.cli.new_adapter",
)

app = PortwrightTyper(
    name="portwright",
    help="Turn portal-only web applications into stable, typed APIs.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"portwright {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """portwright: declarative portal flows, versioned selector maps, typed entities."""


for _module in COMMAND_MODULES:
    importlib.import_module(_module).register(app)


def main() -> None:
    """Console-script entry point.

    Commands turn the errors they expect into ``error: ...`` lines themselves; this is
    the net under them (a bad ``PORTWRIGHT_*`` setting is found before any command's own
    handling starts), so a person never gets a traceback for a portwright error.
    """
    try:
        app()
    except PortwrightError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise SystemExit(1) from None
