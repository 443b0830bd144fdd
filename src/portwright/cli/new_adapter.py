"""``portwright new-adapter <name>``: lay down a new portal adapter that validates as is."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from portwright.exceptions import PortwrightError

__all__ = ["new_adapter", "register"]


def new_adapter(
    name: Annotated[str, typer.Argument(help="Portal name, e.g. acme or acme_ehr.")],
    display_name: Annotated[
        str | None, typer.Option("--display-name", help="Shown in docs (default: from NAME).")
    ] = None,
    ui_version: Annotated[
        str, typer.Option("--ui-version", help="The portal's UI version its first selector "
                                               "map describes.")
    ] = "1.0",
    workspace: Annotated[
        Path | None, typer.Option("--workspace", help="Folder in (or to make) the workspace "
                                                      "(default: the current one).")
    ] = None,
) -> None:
    """Scaffold an adapter: package, login/session-check/example flows, map, standard tests."""
    from portwright.scaffold import adapter_names, scaffold_adapter
    from portwright.scaffold.writer import display_path

    try:
        names = adapter_names(name, display_name=display_name, ui_version=ui_version)
        written = scaffold_adapter(names, workspace)
    except PortwrightError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    root = (workspace or Path.cwd()).resolve()
    for path in written:
        typer.echo(f"created {display_path(path, root)}")
    adapter = _written(written, "pyproject.toml", names.portal).parent
    selector_map = _written(written, f"{names.ui_version}.yaml", names.portal)
    typer.echo(
        f"\nnext:\n"
        f"  pip install -e '{display_path(adapter, root)}[test]'\n"
        f"  portwright validate\n"
        f"  edit {display_path(selector_map, root)} for your portal's pages, then\n"
        f"  portwright run {names.portal}.providers.list --portal-url URL --format table")


def _written(written: list[Path], name: str, portal: str) -> Path:
    """The written file called ``name`` in a folder named after the portal (the workspace's
    folder settings decide where that folder is)."""
    return next(p for p in written if p.name == name and p.parent.name == portal)


def register(app: typer.Typer) -> None:
    app.command("new-adapter")(new_adapter)
