"""Which entity fields hold PHI, said once where the field is declared.

A field is marked by an ``Annotated`` metadata item, ``Annotated[NonEmptyStr, Phi("name")]``.
The mark changes neither the field's type, its validation nor the exported JSON Schema;
it lets the recording scrubber pseudonymize a patient's name, birth date, MRN, member id,
phone, email and address in every golden output, whatever an adapter's scrub policy names
(a new adapter's policy may name none of them).

``kind`` is the spelling of the scrubber's ``PhiKind`` (``name``, ``full_name``, ``date``,
``mrn``, ``member_id``, ``phone``, ``email``, ``address``, ``city``, ``zip``, ``ssn``,
``identifier``): it decides the pseudonym's shape. It is a plain string here so that the
entities do not import the recording machinery; the scrubber refuses a spelling it does
not know (``portwright.recording.scrub.entity_fields``).

Only patient data is marked: a provider's name or a practice's phone is not PHI. A part
shared by people and organisations (``Address`` serves patients, locations and payers
alike) marks its fields, and the field holding it in an organisation's record says
``OfOrganisation()``: a patient's, subscriber's or guarantor's street is pseudonymized, a
practice site's, a billing provider's or a payer's is kept (it is public, and a claim or
a schedule is checked against it). An unmarked holder counts as a person's: forgetting
the mark over-scrubs, it never leaks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["OfOrganisation", "Phi", "PhiKindName"]

PhiKindName = Literal["name", "full_name", "date", "mrn", "member_id", "phone", "email",
                      "address", "city", "zip", "ssn", "identifier"]


@dataclass(frozen=True)
class Phi:
    """Marks an entity field as PHI of ``kind`` (see the module docstring)."""

    kind: PhiKindName


@dataclass(frozen=True)
class OfOrganisation:
    """Marks a field holding a part of an organisation's record (a site's or a payer's
    ``Address``): the ``Phi`` marks of that part's fields do not apply there."""
