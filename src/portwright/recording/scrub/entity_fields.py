"""The PHI fields portwright's own entities declare, found by the JSON shape of a record.

An adapter's scrub policy names the fields of its portal's traffic; the entities it emits
are portwright's, and they say themselves which of their fields are PHI
(``portwright.entities.phi``). The scrubber applies those to every JSON record shaped like
an entity, so a golden output's patients are learnt and pseudonymized even when the
adapter's policy names no PHI field at all, and the values learnt there are replaced in
the HAR and the cassette through the one value table.

A record is taken for an entity (or one of its parts: a patient's ``contact``, a claim's
``subscriber``) when its keys are exactly that model's JSON keys: an emitted entity always
carries every key (null when unknown), and an exact match keeps a portal's own JSON, which
merely shares a key name, out of it.
"""

from __future__ import annotations

import types
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Union, get_args, get_origin

from pydantic.fields import FieldInfo

from portwright.entities.base import EntityModel
from portwright.entities.phi import Phi
from portwright.entities.registry import ENTITY_MODELS
from portwright.recording.scrub.kinds import PhiKind

__all__ = ["EntityPhi", "entity_phi"]

#: a record's first and last name keys, joined in the traffic as "First Last", "Last, First"
_NAME_PAIR = ("firstName", "lastName")


@dataclass(frozen=True)
class EntityPhi:
    """The PHI fields of one entity shape: JSON key → kind, and its (first, last) pairs."""

    kinds: Mapping[str, PhiKind] = field(default_factory=dict)
    name_pairs: tuple[tuple[str, str], ...] = ()


def entity_phi(record: Mapping[Any, Any]) -> EntityPhi | None:
    """The PHI fields of ``record`` if it has an entity's shape with PHI fields, else None."""
    return _shapes().get(frozenset(record))


def _json_key(name: str, info: FieldInfo) -> str:
    return info.serialization_alias or info.alias or name


def _phi_kind(model: type[EntityModel], name: str, info: FieldInfo) -> PhiKind | None:
    marks = [item for item in info.metadata if isinstance(item, Phi)]
    if not marks:
        return None
    try:
        return PhiKind(marks[0].kind)
    except ValueError:  # a typo in an entity module: loud, not a field left unscrubbed
        raise ValueError(f"{model.__name__}.{name}: unknown PHI kind {marks[0].kind!r}; "
                         f"known: {', '.join(k.value for k in PhiKind)}") from None


def _nested_models(annotation: Any) -> Iterator[type[EntityModel]]:
    """Entity models inside a field's type (``Address | None``, ``list[InsurancePolicy]``)."""
    if isinstance(annotation, type) and issubclass(annotation, EntityModel):
        yield annotation
        return
    if get_origin(annotation) in (Union, types.UnionType) or get_args(annotation):
        for arg in get_args(annotation):
            yield from _nested_models(arg)


def _models() -> list[type[EntityModel]]:
    """Every emit-able entity and every model its fields hold, each once."""
    seen: dict[type[EntityModel], None] = {}
    todo = list(ENTITY_MODELS.values())
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen[model] = None
        for info in model.model_fields.values():
            todo.extend(_nested_models(info.annotation))
    return list(seen)


@cache
def _shapes() -> dict[frozenset[str], EntityPhi]:
    shapes: dict[frozenset[str], EntityPhi] = {}
    for model in _models():
        fields = model.model_fields
        kinds = {_json_key(name, info): kind for name, info in fields.items()
                 if (kind := _phi_kind(model, name, info)) is not None}
        if not kinds:
            continue
        keys = frozenset(_json_key(name, info) for name, info in fields.items())
        known = shapes.get(keys, EntityPhi())
        merged = {**known.kinds, **kinds}
        pairs = (_NAME_PAIR,) if all(merged.get(k) is PhiKind.NAME for k in _NAME_PAIR) \
            else ()
        shapes[keys] = EntityPhi(merged, pairs)
    return shapes
