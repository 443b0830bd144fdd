"""The base every entity shares: camelCase JSON, snake_case Python, strict fields.

Integrators expect the JSON shapes in the reference API examples (``patientId``,
``updatedAt``); Python code reads better in snake_case. One base class keeps that
mapping in one place.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

__all__ = ["EntityModel", "defined_entity_models"]

_DEFINED: list[type[EntityModel]] = []


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

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Note every entity model as it is defined, an adapter's own ones included: the
        recording scrubber honours the PHI marks of all of them."""
        super().__pydantic_init_subclass__(**kwargs)
        _DEFINED.append(cls)

    def to_json_dict(self) -> dict[str, object]:
        """The entity as integrators see it: camelCase keys, JSON-compatible values."""
        return self.model_dump(mode="json", by_alias=True)


def defined_entity_models() -> tuple[type[EntityModel], ...]:
    """Every entity model defined so far in this process (the engine's, their parts, and
    those of every adapter imported), in the order they were defined."""
    return tuple(_DEFINED)
