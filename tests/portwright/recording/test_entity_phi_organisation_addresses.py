"""Only a person's address is PHI: a recording pseudonymizes a patient's and a
subscriber's street, city and ZIP, and keeps a practice site's, a billing provider's and
a payer's, which share the ``Address`` shape but are public (and a claim or a schedule is
checked against them). The adapter's policy here names no PHI field: the entities' own
marks decide."""

from __future__ import annotations

import copy
from typing import Any

from portwright.entities import Claim, Location, Patient, Payer
from portwright.recording.scrub import BASELINE_POLICY, Scrubber, ScrubPolicy
from portwright.recording.scrub.entity_fields import entity_phi
from portwright.recording.scrub.kinds import PhiKind

NO_PHI_POLICY = BASELINE_POLICY.merged(ScrubPolicy.model_validate(
    {"fields": {"username": "secret"}}))

HOME = {"line1": "88 Tamarack Lane", "city": "Hillsboro", "region": "OR",
        "postalCode": "97124"}
SUBSCRIBER_HOME = {"line1": "1402 Birchwood Ct", "city": "Beaverton", "region": "OR",
                   "postalCode": "97005"}
SITE = {"line1": "200 Wellness Ave", "city": "Seattle", "region": "WA",
        "postalCode": "98109"}
BILLING = {"line1": "17 Harbor Steps", "city": "Tacoma", "region": "WA",
           "postalCode": "98402"}
PAYER = {"line1": "1800 Ninth Ave", "city": "Spokane", "region": "WA",
         "postalCode": "99201"}


def _golden() -> dict[str, Any]:
    patient = Patient.model_validate({
        "patientId": "pt_1", "mrn": "MRN-774120", "firstName": "Ann",
        "lastName": "Quillfeather", "dob": "1961-04-09", "address": HOME})
    location = Location.model_validate({"locationId": "loc_1", "name": "Main clinic",
                                        "address": SITE})
    payer = Payer.model_validate({"payerId": "pay_1", "name": "Regence", "address": PAYER})
    claim = Claim.model_validate({
        "payerId": "pay_1", "payer": {"name": "Regence", "address": PAYER},
        "billingProvider": {"npi": "1234567893", "name": "Cascadia Behavioral Health",
                            "billingAddress": BILLING},
        "patient": {"patientId": "pt_1", "firstName": "Ann", "lastName": "Quillfeather",
                    "relationshipToSubscriber": "19", "address": HOME,
                    "subscriber": {"memberId": "ZQH44120977", "firstName": "Desmond",
                                   "lastName": "Quillfeather",
                                   "address": SUBSCRIBER_HOME}},
        "serviceLines": [{"serviceCode": "90834", "chargeAmount": "120.00"}]})
    return {"outputs": {name: [entity.to_json_dict()] for name, entity in (
        ("Patient", patient), ("Location", location), ("Payer", payer), ("Claim", claim))}}


def _scrubbed() -> dict[str, Any]:
    scrubber = Scrubber(NO_PHI_POLICY)
    golden = _golden()
    scrubber.learn_json(copy.deepcopy(golden))
    outputs: dict[str, Any] = scrubber.scrub_json(golden)["outputs"]
    return outputs


def _street(address: dict[str, Any]) -> dict[str, Any]:
    return {key: address[key] for key in ("line1", "city", "postalCode")}


def _pseudonymized(address: dict[str, Any], real: dict[str, str]) -> bool:
    return all(address[key] != real[key] for key in ("line1", "city", "postalCode"))


def test_a_patient_s_and_a_subscriber_s_address_are_pseudonymized() -> None:
    out = _scrubbed()
    assert _pseudonymized(out["Patient"][0]["address"], HOME)
    claim_patient = out["Claim"][0]["patient"]
    assert _pseudonymized(claim_patient["address"], HOME)
    assert _pseudonymized(claim_patient["subscriber"]["address"], SUBSCRIBER_HOME)


def test_a_site_s_a_billing_provider_s_and_a_payer_s_address_are_kept() -> None:
    out = _scrubbed()
    expected = {key: value for key, value in SITE.items() if key != "region"}
    assert _street(out["Location"][0]["address"]) == expected
    assert _street(out["Claim"][0]["billingProvider"]["billingAddress"]) == {
        key: value for key, value in BILLING.items() if key != "region"}
    payer_street = {key: value for key, value in PAYER.items() if key != "region"}
    assert _street(out["Payer"][0]["address"]) == payer_street
    assert _street(out["Claim"][0]["payer"]["address"]) == payer_street


def test_an_address_of_unknown_owner_is_still_scrubbed() -> None:
    """A bare address (no entity around it says whose it is) counts as a person's."""
    bare = {**SITE, "line2": None, "country": "US"}
    found = entity_phi(bare)
    assert found is not None and found.kinds["line1"] is PhiKind.ADDRESS
    organisations = entity_phi(bare, of_organisation=True)
    assert organisations is not None and not organisations.kinds
