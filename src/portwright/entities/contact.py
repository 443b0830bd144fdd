"""Ways to reach a person or place: contact details and postal addresses.

Shared by patients, providers, locations and payers, so a phone or a ZIP code is checked
the same way wherever it appears (837P loops carry the same address fields).
"""

from __future__ import annotations

import re

from pydantic import Field, model_validator

from portwright.entities.base import EntityModel
from portwright.entities.types import E164Phone, Email, NonEmptyStr
from portwright.entities.validation import CrossFieldError

__all__ = ["Address", "Contact"]

_US_ZIP = re.compile(r"^\d{5}(-\d{4})?$")
_US_REGION = re.compile(r"^[A-Z]{2}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


class Contact(EntityModel):
    """How to reach someone: email and phone (E.164), either may be unknown."""

    email: Email | None = None
    phone: E164Phone | None = None


class Address(EntityModel):
    """A postal address. ``region`` is the state or province; US addresses are checked
    for a two-letter state and a 5- or 9-digit ZIP because claims reject anything else."""

    line1: NonEmptyStr
    line2: str | None = None
    city: NonEmptyStr
    region: NonEmptyStr
    postal_code: NonEmptyStr
    country: str = Field(default="US", description="ISO 3166-1 alpha-2 country code.")

    @model_validator(mode="after")
    def _us_rules(self) -> Address:
        self.country = self.country.strip().upper()
        if not _COUNTRY.match(self.country):
            raise CrossFieldError("country", "expected an ISO 3166-1 alpha-2 code such as US")
        if self.country == "US":
            self.region = self.region.upper()
            if not _US_REGION.match(self.region):
                raise CrossFieldError("region", "a US region is a two-letter state code")
            if not _US_ZIP.match(self.postal_code):
                raise CrossFieldError("postalCode", "a US ZIP code is 5 digits or ZIP+4")
        return self
