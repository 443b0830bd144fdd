"""Printing a run's entities for people and pipes: JSON lines or a Rich table.

``portwright run`` prints the whole RunResult as JSON by default; ``--format jsonl`` prints
one entity per line (what a shell pipeline or a loader wants) and ``--format table`` a
table per entity output (what a person at a terminal wants). Nested objects are flattened
to dotted columns (``contact.email``); lists of objects are summarized by their count.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any, Literal

from rich.console import Console
from rich.table import Table

from portwright.entities.base import EntityModel

__all__ = ["OutputFormat", "entity_outputs", "flatten", "print_entities"]

OutputFormat = Literal["json", "jsonl", "table"]


def entity_outputs(outputs: Mapping[str, Any]) -> Iterator[tuple[str, list[EntityModel]]]:
    """The outputs that are lists of entities, in output order."""
    for name, value in outputs.items():
        if isinstance(value, list) and value and all(isinstance(v, EntityModel) for v in value):
            yield name, value


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
        flat = [flatten(row) for row in rows]
        columns = list(dict.fromkeys(key for row in flat for key in row))
        table = Table(title=f"{name} ({len(rows)})")
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in flat:
            table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
        console.print(table)
    return count
