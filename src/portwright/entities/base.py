"""The base every entity shares: camelCase JSON, snake_case Python, strict fields.

Integrators expect the JSON shapes in the reference API examples (``patientId``,
``updatedAt``); Python code reads better in snake_case. One base class keeps that
mapping in one place.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

__all__ = ["EntityModel"]


class EntityModel(BaseModel):
    """Base class of all entities: camelCase aliases, unknown fields rejected."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        str_strip_whitespace=True,
        # Emitted JSON always carries every key (null when unknown), so the exported
        # serialization schemas say so; titles read "Add on codes", not "Addoncodes".
        json_schema_serialization_defaults_required=True,
        field_title_generator=lambda name, _info: name.replace("_", " ").capitalize(),
    )

    def to_json_dict(self) -> dict[str, object]:
        """The entity as integrators see it: camelCase keys, JSON-compatible values."""
        return self.model_dump(mode="json", by_alias=True)
