"""``portwright flows list``: the workspace's flows with version, inputs and outputs."""

from __future__ import annotations

import typer

from portwright.exceptions import PortwrightError

__all__ = ["flows_app", "list_flows", "register"]

flows_app = typer.Typer(help="Inspect the workspace's flows.", no_args_is_help=True)


@flows_app.command("list")
def list_flows() -> None:
    """List every flow: name, version, mutates, inputs, outputs, file."""
    from rich.console import Console
    from rich.table import Table

    from portwright.flow.repository import FlowRepository
    from portwright.settings import load_settings

    settings = load_settings()
    try:
        folder = settings.existing_folder("flows")
    except PortwrightError as exc:  # a misspelled folder is not an empty workspace
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    repo = FlowRepository(folder)
    table = Table("flow", "version", "mutates", "inputs", "outputs", "file")
    broken = 0
    for name, path in sorted(repo.index().items()):
        try:
            flow = repo.get(name)
        except PortwrightError as exc:
            broken += 1
            table.add_row(name, "-", "-", "-", "-", f"{path} (invalid: {exc.message[:60]})")
            continue
        inputs = ", ".join(f"{k}{'' if s.is_required else '?'}:{s.type}"
                           for k, s in flow.inputs.items())
        table.add_row(name, str(flow.version), "yes" if flow.mutates else "no", inputs,
                      ", ".join(flow.outputs), str(path.relative_to(settings.root))
                      if settings.root in path.parents else str(path))
    Console().print(table)
    if broken:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(flows_app, name="flows")
