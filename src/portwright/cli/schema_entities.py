"""``portwright schema entities``: export (or check) the entity JSON Schemas.

One file per entity in ``schemas/entities/`` under the workspace root. ``--check`` writes
nothing and exits 1 when the committed files no longer match the models, for CI.

The command joins the engine's ``schema`` group when it exists; until then it brings a
``schema`` group of its own, so it can be listed in ``COMMAND_MODULES`` either way.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Annotated

import typer

from portwright.cli.conventional_help import PortwrightTyper

__all__ = ["DEFAULT_FOLDER", "export_entity_schemas", "register"]

#: Where the committed schemas live, relative to the workspace root.
DEFAULT_FOLDER = Path("schemas") / "entities"


def export_entity_schemas(
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder to write (default: <workspace>/schemas/entities)."),
    ] = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Write nothing; exit 1 if the files are out of date."),
    ] = False,
) -> None:
    """Export JSON Schema for every entity, one <Entity>.schema.json file each."""
    # Imported here: loading the ICD-10-CM list takes a second or two, and every other
    # portwright command would otherwise pay for it at start-up.
    from portwright.entities.schema_export import schema_drift, write_entity_schemas
    from portwright.settings import load_settings

    folder = out if out is not None else load_settings().root / DEFAULT_FOLDER
    if check:
        drift = schema_drift(folder)
        if drift:
            typer.echo(f"entity schemas in {folder} are out of date:\n{drift.describe()}", err=True)
            typer.echo("run: portwright schema entities", err=True)
            raise typer.Exit(1)
        typer.echo(f"entity schemas in {folder} are up to date")
        return
    from portwright.cli.output_path import prepared_folder

    changed = write_entity_schemas(prepared_folder(folder, "--out"))
    if changed:
        for path in changed:
            typer.echo(f"updated {path}")
    else:
        typer.echo(f"entity schemas in {folder} were already up to date")


def register(app: typer.Typer) -> None:
    """Attach ``entities`` to the ``schema`` group (the engine's, else a new one)."""
    try:
        schema_app: typer.Typer = importlib.import_module("portwright.cli.schema").schema_app
    except ModuleNotFoundError as exc:
        if exc.name != "portwright.cli.schema":
            raise
        schema_app = PortwrightTyper(name="schema", help="Export JSON Schemas.",
                                     no_args_is_help=True)
        app.add_typer(schema_app, name="schema")
    schema_app.command("entities")(export_entity_schemas)
