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

Only patient data is marked: a provider's name or a practice's phone is not PHI. Postal
addresses are marked wherever they appear (``Address`` serves patients, locations and
payers alike), which at worst pseudonymizes a practice's street too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Phi", "PhiKindName"]

PhiKindName = Literal["name", "full_name", "date", "mrn", "member_id", "phone", "email",
                      "address", "city", "zip", "ssn", "identifier"]


@dataclass(frozen=True)
class Phi:
    """Marks an entity field as PHI of ``kind`` (see the module docstring)."""

    kind: PhiKindName
