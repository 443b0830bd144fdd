"""Listings (``flows list``, ``sessions list``, ``secrets list``, ``settings``) printed
whole for people and pipes.

What a listing shows is what a person copies into the next command (``sessions drop
valant --account NAME``, the ``PORTWRIGHT_SECRET_*`` variable to unset), so no cell is cut
short: Rich's default column overflow ends a narrow cell with an ellipsis, and at
``COLUMNS=40`` ``valant`` became ``vala…``. At a terminal the table folds long cells onto
more lines; anywhere else (a pipe, a file, CI) the listing is tab-separated, a header line
first and one row per line, so ``cut -f1`` and ``awk`` work.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["print_listing"]


def print_listing(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[str]],
                  console: Console | None = None, *, whole: Collection[str] = ()) -> None:
    """Print ``rows`` under ``columns`` on standard output (see the module docstring);
    the ``whole`` columns are never folded either (a flow's name, copied as one word)."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = console or Console()
    if not console.is_terminal:
        for row in (columns, *rows):
            typer.echo("\t".join(row))
        return
    table = Table(title=escape(title) if title else None)
    for column in columns:
        table.add_column(escape(column), overflow="fold", no_wrap=column in whole)
    for row in rows:  # names are data, not Rich markup
        table.add_row(*(escape(cell) for cell in row))
    console.print(table)
