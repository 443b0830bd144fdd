"""Claims as the portal's claim detail shows them, in the shape an 837P needs.

The portal prints the rendering clinician as ``Lee, Jordan (NPI 1234567893)`` (2025.4) or
``Jordan Lee · NPI 1234567893`` (2026.1; the flow also reads the given and family name
from their own parts of that cell, since "Ana de la Cruz" cannot say where the surname
starts) and the billing practice only on its locations
page (``Cascadia Behavioral Health — Group NPI 1234567893``); the flow reads both and this
module splits them. The portal's claim *status* is not part of the Claim entity (an 837P
has no status); the claims flow returns it separately, as the portal shows it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from portwright.entities import Claim, validate
from portwright_valant.normalizers.portal_values import (
    codes,
    first,
    money,
    person_name,
    portal_date,
    text,
)

__all__ = ["normalize_claim", "practice_of", "rendering_of"]

_RENDERING = re.compile(
    r"^(?P<name>.+?)\s*(?:\(NPI (?P<npi1>\d{10})\)|\u00b7 NPI (?P<npi2>\d{10}))$")
_PRACTICE = re.compile(r"^(?P<name>.+?)\s+(?:\u2014|\u00b7|-)\s+(?:Group )?NPI (?P<npi>\d{10})")


def rendering_of(shown: str | None, first_name: Any = None,
                 last_name: Any = None) -> dict[str, Any] | None:
    """``Lee, Jordan (NPI …)`` / ``Jordan Lee · NPI …`` → RenderingProvider fields.

    A given and family name read separately win over the split of the printed name,
    which is a guess for ``First Last`` when the surname has several words.
    """
    match = _RENDERING.match(text(shown) or "")
    if not match:
        return None
    first_name, last_name = person_name({"first_name": first_name, "last_name": last_name,
                                         "name": match["name"]})
    return {"npi": match["npi1"] or match["npi2"], "firstName": first_name,
            "lastName": last_name}


def practice_of(shown: str | None) -> dict[str, Any] | None:
    """The practice line of the locations page → BillingProvider fields."""
    match = _PRACTICE.match(text(shown) or "")
    return {"npi": match["npi"], "name": match["name"]} if match else None


def _modifiers(value: Any) -> list[str]:
    shown = text(value)
    if shown is None or shown.lower() == "none":
        return []
    return codes(shown)


def normalize_claim(raw: Mapping[str, Any]) -> Claim:
    """A claim detail page (with its service lines and the practice line) → Claim."""
    pos = text(raw.get("place_of_service"))
    service_date = portal_date(raw.get("service_date"))
    modifiers = _modifiers(raw.get("modifiers"))
    lines = [{"serviceCode": text(line.get("code")), "modifiers": modifiers,
              "chargeAmount": money(line.get("charge")), "placeOfService": pos,
              "serviceDate": service_date}
             for line in raw.get("lines") or []]
    billing = raw.get("billing_provider")
    return validate(Claim, {
        "claimId": text(first(raw, "claim_id", "claimId")),
        "patientControlNumber": text(first(raw, "claim_id", "claimId")),
        "payerId": text(raw.get("payer_id")),
        "billingProvider": billing if isinstance(billing, Mapping)
        else practice_of(raw.get("practice")),
        "renderingProvider": rendering_of(raw.get("rendering"),
                                          raw.get("rendering_first_name"),
                                          raw.get("rendering_last_name")),
        "patient": {"patientId": text(raw.get("patient_id")),
                    "memberId": text(raw.get("member_id"))},
        "diagnosisCodes": codes(raw.get("diagnosis_codes")),
        "serviceLines": lines,
        "placeOfService": pos,
        "chargeAmount": money(raw.get("charge_amount")),
    })
