"""``portwright schema``: write JSON Schemas for YAML editors.

``schema_app`` is the group; other modules add subcommands to it (e.g. ``schema
entities``) by importing it and decorating their command with ``schema_app.command``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from portwright.cli.conventional_help import PortwrightTyper

__all__ = ["register", "schema_app", "write_schema"]

schema_app = PortwrightTyper(help="Write JSON Schemas (flows, selector maps, ...).",
                             no_args_is_help=True)

OutOption = Annotated[
    Path | None, typer.Option("--out", "-o", help="Write here ('-' for stdout).")
]


def write_schema(text: str, out: Path | None, default: Path) -> None:
    """Write ``text`` to ``out`` (``-``: stdout), or to the committed ``default`` path."""
    if out is not None and str(out) == "-":
        typer.echo(text, nl=False)
        return
    from portwright.cli.output_path import prepared_output

    target = prepared_output(out, "--out") or default
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {target}")


@schema_app.command("flow")
def flow(out: OutOption = None) -> None:
    """JSON Schema of flow files (default: <flows>/flow.schema.json)."""
    from portwright.flow.schema import flow_schema_text
    from portwright.settings import load_settings

    write_schema(flow_schema_text(), out, load_settings().path("flows") / "flow.schema.json")


@schema_app.command("selectors")
def selectors(out: OutOption = None) -> None:
    """JSON Schema of selector maps (default: <selectors>/selector-map.schema.json)."""
    from portwright.selector_map.schema import selector_map_schema_text
    from portwright.settings import load_settings

    write_schema(selector_map_schema_text(), out,
                 load_settings().path("selectors") / "selector-map.schema.json")


def register(app: typer.Typer) -> None:
    app.add_typer(schema_app, name="schema")
