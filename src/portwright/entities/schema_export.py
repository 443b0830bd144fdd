"""JSON Schema for every entity, one file each, and a freshness check for the copies.

The committed files (``schemas/entities/<Entity>.schema.json``) are the contract other
services code against; a test regenerates them in memory and fails when a model changed
without re-exporting, so the files can never silently drift from the models.

The schemas describe entities as portwright *emits* them (serialization mode): phones in
E.164, timestamps with ``Z``. Inputs may be looser (see :mod:`portwright.entities.types`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from portwright.entities.base import EntityModel
from portwright.entities.registry import ENTITY_MODELS

__all__ = [
    "JSON_SCHEMA_DIALECT",
    "SchemaDrift",
    "entity_schema",
    "render_entity_schemas",
    "schema_drift",
    "schema_file_name",
    "write_entity_schemas",
]

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_file_name(name: str) -> str:
    """``Patient`` → ``Patient.schema.json``."""
    return f"{name}.schema.json"


def entity_schema(model: type[EntityModel]) -> dict[str, object]:
    """The JSON Schema of one entity, camelCase property names, as emitted."""
    schema = model.model_json_schema(by_alias=True, mode="serialization")
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": schema_file_name(model.__name__),
        **schema,
    }


def _text(schema: dict[str, object]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render_entity_schemas() -> dict[str, str]:
    """File name → file text for every registered entity (deterministic output)."""
    return {
        schema_file_name(name): _text(entity_schema(model))
        for name, model in ENTITY_MODELS.items()
    }


def write_entity_schemas(folder: Path) -> list[Path]:
    """Write every schema into ``folder`` and remove stale ``*.schema.json`` files there.

    Returns the files whose content changed (written, or removed).
    """
    folder.mkdir(parents=True, exist_ok=True)
    rendered = render_entity_schemas()
    changed: list[Path] = []
    for name, text in rendered.items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    for path in sorted(folder.glob("*.schema.json")):
        if path.name not in rendered:
            path.unlink()
            changed.append(path)
    return changed


@dataclass(frozen=True)
class SchemaDrift:
    """How a folder of schemas differs from the models."""

    missing: tuple[str, ...]
    outdated: tuple[str, ...]
    unexpected: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.missing or self.outdated or self.unexpected)

    def describe(self) -> str:
        """One line per kind of drift, for CLI output and test failures."""
        lines = []
        for label, names in (("missing", self.missing), ("outdated", self.outdated),
                             ("no longer an entity", self.unexpected)):
            if names:
                lines.append(f"{label}: {', '.join(names)}")
        return "\n".join(lines)


def schema_drift(folder: Path) -> SchemaDrift:
    """Compare ``folder`` with freshly rendered schemas without writing anything."""
    rendered = render_entity_schemas()
    present = {p.name for p in folder.glob("*.schema.json")} if folder.is_dir() else set()
    missing = tuple(sorted(set(rendered) - present))
    unexpected = tuple(sorted(present - set(rendered)))
    outdated = tuple(sorted(
        name for name in set(rendered) & present
        if (folder / name).read_text(encoding="utf-8") != rendered[name]
    ))
    return SchemaDrift(missing, outdated, unexpected)
