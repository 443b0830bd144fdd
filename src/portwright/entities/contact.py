"""Ways to reach a person or place: contact details and postal addresses.

Shared by patients, providers, locations and payers, so a phone or a ZIP code is checked
the same way wherever it appears (837P loops carry the same address fields).
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Field, model_validator

from portwright.entities.base import EntityModel
from portwright.entities.phi import Phi
from portwright.entities.types import E164Phone, Email, NonEmptyStr
from portwright.entities.validation import CrossFieldError

__all__ = ["Address", "Contact"]

# [0-9], not \d (which also matches full-width digits): claims carry ASCII digits.
_US_ZIP = re.compile(r"^[0-9]{5}(-[0-9]{4})?$")
_US_ZIP9_BARE = re.compile(r"^[0-9]{9}$")
_US_REGION = re.compile(r"^[A-Z]{2}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


class Contact(EntityModel):
    """How to reach someone: email and phone (E.164), either may be unknown."""

    email: Annotated[Email | None, Phi("email")] = None
    phone: Annotated[E164Phone | None, Phi("phone")] = None


class Address(EntityModel):
    """A postal address. ``region`` is the state or province; US addresses are checked
    for a two-letter state and a 5- or 9-digit ZIP because claims reject anything else."""

    line1: Annotated[NonEmptyStr, Phi("address")]
    line2: Annotated[str | None, Phi("address")] = None
    city: Annotated[NonEmptyStr, Phi("city")]
    region: NonEmptyStr
    postal_code: Annotated[NonEmptyStr, Phi("zip")]
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
            # A 9-digit ZIP written without its hyphen (``981011234``, as the 837P N403
            # carries it) is stored as ZIP+4: one address, one spelling.
            # (Said here, not in the docstring: that is the exported schema's text.)
            if _US_ZIP9_BARE.match(self.postal_code):
                self.postal_code = f"{self.postal_code[:5]}-{self.postal_code[5:]}"
            if not _US_ZIP.match(self.postal_code):
                raise CrossFieldError("postalCode", "a US ZIP code is 5 digits or ZIP+4")
        return self
