"""``portwright settings``: every setting in effect, and where its value came from.

Settings have a named precedence (default < workspace file < ``PORTWRIGHT_*`` variable <
command line); when a run behaves unlike the workspace file says, the question is which
level won. This answers it without reading code: name, value, the level and the place
(``portwright.toml:4``, ``PORTWRIGHT_STEP_TIMEOUT_MS``, the default), from
``Settings.effective()``. ``--json`` gives the same to a script.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from portwright.exceptions import PortwrightError

__all__ = ["register", "settings_report"]

COLUMNS = ("setting", "value", "level", "from")


def _shown(value: Any) -> str:
    """A value as a person reads it (a folder as its path, an enum by its value)."""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    return value


def settings_report(
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list instead.")] = False,
) -> None:
    """Show every setting, its value and where it came from (file:line, variable,
    default)."""
    from portwright.cli.listing import print_listing
    from portwright.settings import load_settings

    try:
        effective = load_settings().effective()
    except PortwrightError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps([
            {"name": e.name, "value": _json_value(e.value),
             "level": e.source.level.name.lower(), "from": e.source.place}
            for e in effective], indent=2))
        return
    print_listing("Settings in effect", COLUMNS, [
        (e.name, _shown(e.value), e.source.level.name.lower(), e.source.place)
        for e in effective])


def register(app: typer.Typer) -> None:
    app.command("settings")(settings_report)
