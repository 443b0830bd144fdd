"""The PHI fields entity models declare, found by the JSON shape of a record.

An adapter's scrub policy names the fields of its portal's traffic; the entities it emits
(portwright's, or the adapter's own: ``Adapter.entities``) say themselves which of their
fields are PHI (``portwright.entities.phi``). The scrubber applies those to every JSON
record shaped like an entity, so a golden output's patients are learnt and pseudonymized
even when the adapter's policy names no PHI field at all, and the values learnt there are
replaced in the HAR and the cassette through the one value table. Every entity model
defined in the process counts (``defined_entity_models``): an adapter's own are, once the
adapter is imported, as it is by the run a recording records.

A record is taken for an entity (or one of its parts: a patient's ``contact``, a claim's
``subscriber``) when its keys are exactly that model's JSON keys: an emitted entity always
carries every key (null when unknown), and an exact match keeps a portal's own JSON, which
merely shares a key name, out of it.

A part's PHI marks depend on whose record holds it: an ``Address`` is a patient's in a
``Patient`` and a site's in a ``Location``, with the same keys. A field marked
``OfOrganisation`` (``Location.address``, ``Payer.address``, a claim's billing provider's
and payer's addresses) is listed in ``EntityPhi.organisation_parts``; the scrubber looks
up the record under such a key with ``entity_phi(part, of_organisation=True)``, which
finds no PHI field in it or below it. Anywhere else (an unmarked holder, a record outside
any entity) a part's marks apply: an address of unknown owner is scrubbed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pydantic.fields import FieldInfo

from portwright.entities.base import EntityModel, defined_entity_models
from portwright.entities.phi import OfOrganisation, Phi
from portwright.recording.scrub.kinds import PhiKind

__all__ = ["EntityPhi", "entity_phi"]

#: a record's first and last name keys, joined in the traffic as "First Last", "Last, First"
_NAME_PAIR = ("firstName", "lastName")


@dataclass(frozen=True)
class EntityPhi:
    """The PHI fields of one entity shape: JSON key → kind, its (first, last) pairs, and
    the keys holding an organisation's part (whose own PHI marks do not apply)."""

    kinds: Mapping[str, PhiKind] = field(default_factory=dict)
    name_pairs: tuple[tuple[str, str], ...] = ()
    organisation_parts: frozenset[str] = frozenset()

    def holds_organisation_part(self, key: str) -> bool:
        """True when ``key``'s value is an organisation's part (a site's address)."""
        return key in self.organisation_parts


def entity_phi(record: Mapping[Any, Any], *, of_organisation: bool = False
               ) -> EntityPhi | None:
    """The PHI fields of ``record`` if it has an entity's shape with PHI fields (or with
    organisation parts), else None.

    ``of_organisation``: the record stands under a key some holder's
    ``holds_organisation_part`` names, or inside such a record; then nothing in it is a
    person's, and the answer is an ``EntityPhi`` without PHI fields whose every key holds
    an organisation's part (so the caller passes the flag on to the record's values).
    """
    if of_organisation:
        return EntityPhi(organisation_parts=frozenset(str(key) for key in record))
    return _shapes().get(frozenset(record))


def _json_key(name: str, info: FieldInfo) -> str:
    return info.serialization_alias or info.alias or name


def _of_organisation(info: FieldInfo) -> bool:
    return any(isinstance(item, OfOrganisation) for item in info.metadata)


def _phi_kind(model: type[EntityModel], name: str, info: FieldInfo) -> PhiKind | None:
    marks = [item for item in info.metadata if isinstance(item, Phi)]
    if not marks:
        return None
    try:
        return PhiKind(marks[0].kind)
    except ValueError:  # a typo in an entity module: loud, not a field left unscrubbed
        raise ValueError(f"{model.__name__}.{name}: unknown PHI kind {marks[0].kind!r}; "
                         f"known: {', '.join(k.value for k in PhiKind)}") from None


def _shapes() -> dict[frozenset[str], EntityPhi]:
    """The shapes of every entity model defined so far: the engine's, their parts, and an
    adapter's own entities once the adapter is imported (recomputed when one is added)."""
    models = defined_entity_models()
    return _shapes_of(models)


@lru_cache(maxsize=1)
def _shapes_of(models: tuple[type[EntityModel], ...]) -> dict[frozenset[str], EntityPhi]:
    shapes: dict[frozenset[str], EntityPhi] = {}
    for model in models:
        fields = model.model_fields
        kinds = {_json_key(name, info): kind for name, info in fields.items()
                 if (kind := _phi_kind(model, name, info)) is not None}
        parts = frozenset(_json_key(name, info) for name, info in fields.items()
                          if _of_organisation(info))
        keys = frozenset(_json_key(name, info) for name, info in fields.items())
        known = shapes.get(keys)
        merged = {**known.kinds, **kinds} if known else kinds
        # two models of one shape: a key is an organisation's part only if both say so
        # (over-scrubbing, never a leak)
        parts = parts & known.organisation_parts if known else parts
        pairs = (_NAME_PAIR,) if all(merged.get(k) is PhiKind.NAME for k in _NAME_PAIR) \
            else ()
        shapes[keys] = EntityPhi(merged, pairs, parts)
    return {keys: phi for keys, phi in shapes.items() if phi.kinds or phi.organisation_parts}
