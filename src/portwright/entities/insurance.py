"""Insurance: the payers a practice bills and the policies its patients hold."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import model_validator

from portwright.entities.base import EntityModel
from portwright.entities.contact import Address
from portwright.entities.phi import OfOrganisation, Phi
from portwright.entities.types import E164Phone, EntityId, IsoDate, NonEmptyStr
from portwright.entities.validation import CrossFieldError

__all__ = ["InsurancePolicy", "Payer", "PolicyRank"]

PolicyRank = Literal["primary", "secondary", "tertiary"]


class InsurancePolicy(EntityModel):
    """One coverage a patient holds, in coordination-of-benefits order (``type``).

    ``effectiveEnd`` is ``null`` while the coverage is open-ended.
    """

    type: PolicyRank
    payer_id: EntityId
    member_id: Annotated[NonEmptyStr, Phi("member_id")]
    group_number: str | None = None
    effective_start: IsoDate
    effective_end: IsoDate | None = None
    policy_id: EntityId | None = None

    @model_validator(mode="after")
    def _period(self) -> InsurancePolicy:
        if self.effective_end is not None and self.effective_end < self.effective_start:
            raise CrossFieldError("effectiveEnd", "coverage ends before it starts")
        return self


class Payer(EntityModel):
    """An insurer the practice bills. ``payerCode`` is the clearinghouse payer id that
    an 837P carries in NM109 of loop 2010BB."""

    payer_id: EntityId
    name: NonEmptyStr
    payer_code: NonEmptyStr | None = None
    address: Annotated[Address | None, OfOrganisation()] = None
    phone: E164Phone | None = None
