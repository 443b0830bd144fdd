"""Providers: the clinicians who render and bill services."""

from __future__ import annotations

from typing import Literal

from portwright.entities.base import EntityModel
from portwright.entities.types import (
    E164Phone,
    Email,
    EntityId,
    NonEmptyStr,
    Npi,
    TaxonomyCode,
)

__all__ = ["Provider", "ProviderStatus"]

ProviderStatus = Literal["active", "inactive"]


class Provider(EntityModel):
    """A rendering provider. The NPI's check digit is verified because a mistyped NPI is
    only discovered days later as a payer rejection."""

    provider_id: EntityId
    first_name: NonEmptyStr
    last_name: NonEmptyStr
    credential: str | None = None
    npi: Npi
    taxonomy_code: TaxonomyCode | None = None
    specialty: str | None = None
    email: Email | None = None
    phone: E164Phone | None = None
    location_id: EntityId | None = None
    status: ProviderStatus = "active"
