"""Printing a run's entities for people and pipes: JSON lines or a Rich table.

``portwright run`` prints the whole RunResult as JSON by default; ``--format jsonl`` prints
one entity per line (what a shell pipeline or a loader wants) and ``--format table`` a
table per entity output (what a person at a terminal wants). Nested objects are flattened
to dotted columns (``contact.email``); lists of objects are summarized by their count.

A table keeps to the terminal's width: columns empty in every row are left out, and the
others are shown in entity order for as long as each keeps a readable width (its header,
and up to ``_CELL_WIDTH`` characters of its values); the caption names the columns that
did not fit, which ``--format jsonl`` or a wider terminal (``COLUMNS=250``) shows.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any, Literal

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from portwright.entities.base import EntityModel

__all__ = ["OutputFormat", "entity_outputs", "flatten", "not_shown", "print_entities"]

OutputFormat = Literal["json", "jsonl", "table"]

#: the most a column is given for its values before they fold onto more lines
_CELL_WIDTH = 24
#: what rich draws around and between cells, per column
_BORDER = 3


def entity_outputs(outputs: Mapping[str, Any]) -> Iterator[tuple[str, list[EntityModel]]]:
    """The outputs that are lists of entities, in output order."""
    for name, value in outputs.items():
        if isinstance(value, list) and value and all(isinstance(v, EntityModel) for v in value):
            yield name, value


def not_shown(outputs: Mapping[str, Any]) -> list[str]:
    """The outputs ``jsonl`` and ``table`` leave out: anything not a non-empty entity list.

    Named on stderr by ``portwright run``, so a flow whose result is a flag or a mapping
    (``valant.session.check``) does not look like it returned nothing.
    """
    shown = {name for name, _ in entity_outputs(outputs)}
    return [name for name in outputs if name not in shown]


def flatten(record: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"contact": {"email": x}}`` → ``{"contact.email": x}``; object lists → their count."""
    flat: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{name}."))
        elif isinstance(value, list) and any(isinstance(v, Mapping) for v in value):
            flat[name] = f"{len(value)} item(s)"
        elif isinstance(value, list):
            flat[name] = ", ".join(str(v) for v in value)
        else:
            flat[name] = value
    return flat


def print_entities(outputs: Mapping[str, Any], fmt: OutputFormat, console: Console) -> int:
    """Print every entity output in ``fmt`` (``jsonl`` or ``table``); returns the count."""
    count = 0
    for name, entities in entity_outputs(outputs):
        rows = [entity.to_json_dict() for entity in entities]
        count += len(rows)
        if fmt == "jsonl":
            for row in rows:
                console.file.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            continue
        flat = [{k: "" if v is None else str(v) for k, v in flatten(row).items()}
                for row in rows]
        filled = [c for c in dict.fromkeys(key for row in flat for key in row)
                  if any(row.get(c) for row in flat)]
        shown, left_out = _fitting(filled, flat, console.width)
        caption = (f"{len(left_out)} more column(s) not shown: {', '.join(left_out)}"
                   if left_out else None)
        # portal text is data, not Rich markup: "[data-col=owner]" must print as written
        table = Table(title=escape(f"{name} ({len(rows)})"),
                      caption=escape(caption) if caption else None)
        for column in shown:
            table.add_column(escape(column), overflow="fold", min_width=len(column))
        for cells in flat:
            table.add_row(*(escape(cells.get(c, "")) for c in shown))
        console.print(table)
    return count


def _fitting(columns: list[str], rows: list[dict[str, str]], width: int
             ) -> tuple[list[str], list[str]]:
    """The leading columns that fit ``width`` at a readable size, and the rest."""
    used = 1
    for index, column in enumerate(columns):
        widest = max((len(row.get(column, "")) for row in rows), default=0)
        used += max(len(column), min(widest, _CELL_WIDTH)) + _BORDER
        if used > width and index > 0:
            return columns[:index], columns[index:]
    return columns, []
