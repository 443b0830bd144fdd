"""``portwright demo``: the main job of ``make demo`` — an adapter's end-to-end tour.

Generic on purpose: the adapter is loaded by name through its entry point and runs its
own tour (its ``demo`` hook: start its sandbox, sign in, read and write through flows,
print a summary). The engine never imports a portal package.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from portwright.exceptions import ConfigError, PortwrightError

__all__ = ["demo", "register"]


def demo(
    adapter: Annotated[str, typer.Option(help="Adapter whose tour to run.")] = "valant",
    ui_version: Annotated[
        str | None, typer.Option("--ui-version", help="Sandbox UI release, e.g. 2025.4.")
    ] = None,
    patients: Annotated[int | None, typer.Option(help="Patients to seed (new database).")] = None,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="Start from a new sandbox database.")
    ] = False,
) -> None:
    """Run the end-to-end tour against the adapter's embedded sandbox portal."""
    import asyncio

    from rich.console import Console
    from rich.markup import escape

    from portwright.adapter import load_adapter
    from portwright.settings import load_settings

    console = Console()
    try:
        loaded = load_adapter(adapter)
    except PortwrightError as exc:
        console.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from None
    tour = getattr(loaded, "demo", None)
    if tour is None:
        console.print(f"[red]error:[/] adapter '{escape(adapter)}' has no demo tour")
        raise typer.Exit(2)
    options: dict[str, Any] = {"fresh": fresh}
    if ui_version is not None:
        options["ui_version"] = ui_version
    if patients is not None:
        options["patients"] = patients
    try:
        asyncio.run(tour(load_settings(), console, **options))
    except ConfigError as exc:  # an option or setting to correct: nothing was started
        console.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from None
    except PortwrightError as exc:
        console.print(f"[red]demo failed:[/] {escape(str(exc))}")
        raise typer.Exit(1) from None


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
