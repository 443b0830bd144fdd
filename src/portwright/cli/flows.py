"""``portwright flows list``: the workspace's flows with version, inputs and outputs."""

from __future__ import annotations

from pathlib import Path

import typer

from portwright.cli.conventional_help import PortwrightTyper
from portwright.exceptions import PortwrightError

__all__ = ["flows_app", "list_flows", "register"]

COLUMNS = ("flow", "version", "mutates", "inputs", "outputs", "file")

flows_app = PortwrightTyper(help="Inspect the workspace's flows.", no_args_is_help=True)


@flows_app.command("list")
def list_flows() -> None:
    """List every flow: name, version, mutates, inputs, outputs, file (tab-separated when
    piped)."""
    from portwright.cli.listing import print_listing
    from portwright.flow.repository import FlowRepository
    from portwright.settings import load_settings

    settings = load_settings()
    try:
        folder = settings.existing_folder("flows")
    except PortwrightError as exc:  # a misspelled folder is not an empty workspace
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    repo = FlowRepository(folder)

    def shown(path: Path) -> str:
        return str(path.relative_to(settings.root)) if settings.root in path.parents \
            else str(path)

    rows: list[tuple[str, ...]] = []
    broken = 0
    for name, path in sorted(repo.index().items()):
        try:
            flow = repo.get(name)
        except PortwrightError as exc:
            broken += 1
            rows.append((name, "-", "-", "-", "-", _invalid(exc, path, shown(path))))
            continue
        inputs = ", ".join(f"{k}{'' if s.is_required else '?'}:{s.type}"
                           for k, s in flow.inputs.items())
        rows.append((name, str(flow.version), "yes" if flow.mutates else "no", inputs,
                     ", ".join(flow.outputs), shown(path)))
    # the flow's name is what a reader copies: never cut nor folded
    print_listing(None, COLUMNS, rows, whole=("flow",))
    if broken:
        raise typer.Exit(1)


def _invalid(exc: PortwrightError, path: Path, shown: str) -> str:
    """The file cell of a flow that does not load: where and what its first problem is,
    whole (the place alone says nothing, a cut-off sentence may stop before the fault),
    with the file as the listing shows it rather than the absolute path."""
    problem = exc.message.replace(str(path), shown, 1)
    if not problem.startswith(shown):
        problem = f"{shown}: {problem}"
    more = len(getattr(exc, "problems", ())) - 1
    return f"invalid: {problem}" + (f" (+{more} more problem(s))" if more > 0 else "")


def register(app: typer.Typer) -> None:
    app.add_typer(flows_app, name="flows")
