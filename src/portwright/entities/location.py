"""Locations: the clinic sites where appointments take place."""

from __future__ import annotations

from typing import Annotated

from portwright.entities.base import EntityModel
from portwright.entities.contact import Address
from portwright.entities.phi import OfOrganisation
from portwright.entities.types import E164Phone, EntityId, NonEmptyStr, PosCode

__all__ = ["Location"]


class Location(EntityModel):
    """A practice site. ``defaultPlaceOfService`` is what its visits bill unless the
    appointment says otherwise (e.g. 02/10 for telehealth)."""

    location_id: EntityId
    name: NonEmptyStr
    address: Annotated[Address | None, OfOrganisation()] = None
    phone: E164Phone | None = None
    default_place_of_service: PosCode | None = None
