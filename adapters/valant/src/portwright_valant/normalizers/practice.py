"""Providers and locations: the practice's staff list and sites pages."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from portwright.entities import Location, Provider, validate
from portwright_valant.normalizers.portal_values import first, person_name, slug, text

__all__ = ["normalize_location", "normalize_provider"]


def normalize_provider(raw: Mapping[str, Any]) -> Provider:
    """A row of the providers (2026.1: clinicians) table.

    The name cell may carry the credential after a comma in 2026.1 (``Ana Ruiz, LCSW``);
    a separate ``credential`` field wins. The name is cut at the first comma: 2026.1 prints
    it as ``First Last`` (no comma), while a clinician may hold several credentials
    (``Ana Ruiz, PhD, LP``). ``First Last`` cannot say where a surname such as
    ``de la Cruz`` starts, so separate ``first_name``/``last_name`` fields (the 2026.1 flow
    reads them from the cell's given- and family-name parts) win over splitting it.
    """
    record = dict(raw)
    credential = text(record.get("credential"))
    with_credential = text(record.get("name_with_credential"))
    if with_credential and "," in with_credential:
        name_part, _, credential_part = with_credential.partition(",")
        record["name"] = name_part.strip()  # "First Last" (2026.1 order)
        credential = credential or credential_part.strip() or None
    elif with_credential:
        record["name"] = with_credential
    first_name, last_name = person_name(record)
    return validate(Provider, {
        "providerId": text(first(record, "provider_id", "providerId", "id")),
        "firstName": first_name,
        "lastName": last_name,
        "credential": credential,
        "npi": text(record.get("npi")),
        "taxonomyCode": text(first(record, "taxonomy_code", "taxonomyCode", "taxonomy")),
        "specialty": text(record.get("specialty")),
        "email": text(record.get("email")),
        "phone": text(record.get("phone")),
        "locationId": text(first(record, "location_id", "locationId")),
        "status": _provider_status(record),
    })


def _provider_status(record: Mapping[str, Any]) -> str | None:
    """The status the list shows (``Active``/``Inactive``) as the entity's code.

    A status cell that was read but is blank or says something else stays as read (or
    ``None``) so validation refuses it: guessing ``active`` would list a clinician who left
    the practice as bookable. Only a record that carries no status at all (built by hand,
    not read from the page) keeps the entity's default.
    """
    if "status" in record:
        return slug(record["status"])
    if "active" in record:
        return "active" if slug(record["active"]) in ("yes", "true", "1", "active") \
            else "inactive"
    return "active"


_ONE_LINE = re.compile(r"^(?P<line1>.+), (?P<city>[^,]+), (?P<region>[A-Z]{2}) "
                       r"(?P<postal>\d{5}(?:-\d{4})?)$")


def _address_parts(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Separate address fields, or the one-line ``line1, City, ST 12345`` cell split up."""
    value = raw.get("address")
    shown = text(", ".join(str(value).splitlines())) if isinstance(value, str) else None
    match = _ONE_LINE.match(shown) if shown else None
    if match:
        return {**raw, "line1": match["line1"], "city": match["city"],
                "region": match["region"], "postal_code": match["postal"]}
    return dict(raw)


_DETAILS = re.compile(r"^(?P<phone>[+\d()\s.-]+?)\s*\u00b7\s*POS (?P<pos>\d{2})\b")


def normalize_location(raw: Mapping[str, Any]) -> Location:
    """A row of the locations table (2025.4) or a site card (2026.1), whose second line
    reads ``+12065550100 · POS 11 · 3 clinicians``."""
    parts = _address_parts(raw)
    details = text(raw.get("details"))
    match = _DETAILS.match(details) if details else None
    if match:
        parts.setdefault("phone", match["phone"].strip())
        parts.setdefault("default_pos", match["pos"])
    line1 = text(first(parts, "line1", "address_line1"))
    return validate(Location, {
        "locationId": text(first(raw, "location_id", "locationId", "id")),
        "name": text(raw.get("name")),
        "address": None if line1 is None else {
            "line1": line1,
            "city": text(parts.get("city")),
            "region": text(first(parts, "region", "state")),
            "postalCode": text(first(parts, "postal_code", "postalCode", "zip")),
        },
        "phone": text(parts.get("phone")),
        "defaultPlaceOfService": text(first(parts, "default_pos", "default_place_of_service",
                                            "defaultPlaceOfService")),
    })
