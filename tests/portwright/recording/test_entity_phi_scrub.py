"""A new adapter's first recording: its policy names no PHI field, yet every patient value
its golden output holds (portwright's own ``Patient`` entities) is pseudonymized there and
wherever the HAR shows it, with the same pseudonyms in both."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from portwright.entities import Patient
from portwright.recording.scrub import BASELINE_POLICY, Scrubber, ScrubPolicy, load_policy

#: what `portwright new-adapter` used to ship: a secret, every PHI field commented out
NO_PHI_POLICY = BASELINE_POLICY.merged(ScrubPolicy.model_validate(
    {"fields": {"username": "secret"}}))

VALANT_POLICY = Path(__file__).parents[3] / "adapters/valant/src/portwright_valant/" \
    "scrub_policy.yaml"

PATIENTS = [
    {"first": "Ann", "last": "Quillfeather", "dob": "1961-04-09", "mrn": "MRN-774120",
     "email": "ann.quillfeather@mailhost.test", "phone": "+15032417788",
     "line1": "88 Tamarack Lane", "city": "Hillsboro", "zip": "97124",
     "member": "ZQH44120977"},
    {"first": "Desmond", "last": "Ravenscroft", "dob": "1979-12-30", "mrn": "MRN-550931",
     "email": "dravenscroft@mailhost.test", "phone": "+19712085531",
     "line1": "1402 Birchwood Ct", "city": "Beaverton", "zip": "97005",
     "member": "ZQH90811342"},
]


def _patient(p: dict[str, str], index: int) -> dict[str, object]:
    return Patient.model_validate({
        "patientId": f"pt_{index}", "mrn": p["mrn"], "firstName": p["first"],
        "lastName": p["last"], "dob": p["dob"], "sex": "female",
        "contact": {"email": p["email"], "phone": p["phone"]},
        "address": {"line1": p["line1"], "city": p["city"], "region": "OR",
                    "postalCode": p["zip"]},
        "insurance": [{"type": "primary", "payerId": "pay_1", "memberId": p["member"],
                       "effectiveStart": "2025-01-01"}],
        "status": "active", "updatedAt": "2026-01-02T03:04:05Z",
    }).to_json_dict()


def _us(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%m/%d/%Y")


def _row(p: dict[str, str]) -> str:
    return (f"<tr><td>{p['last']}, {p['first']}</td><td>{p['first']}</td><td>{p['last']}</td>"
            f"<td>{_us(p['dob'])}</td><td>{p['mrn']}</td><td>{p['member']}</td>"
            f"<td>{p['line1']}</td><td>{p['city']}</td></tr>")


def _har() -> dict[str, Any]:
    table = "<table><tbody>" + "".join(_row(p) for p in PATIENTS) + "</tbody></table>"
    return {"log": {"version": "1.2", "entries": [{
        "request": {"method": "GET", "url": "https://portal.test/patients", "headers": []},
        "response": {"status": 200, "headers": [],
                     "content": {"mimeType": "text/html",
                                 "text": f"<html><body>{table}</body></html>"}}}]}}


def _golden() -> dict[str, Any]:
    return {"outputs": {"Patient": [_patient(p, i) for i, p in enumerate(PATIENTS)]}}


def _scrubbed(policy: ScrubPolicy) -> tuple[dict[str, Any], dict[str, Any]]:
    """The HAR and golden output as the recorder scrubs them: learn all, then replace."""
    scrubber = Scrubber(policy)
    har, golden = _har(), _golden()
    scrubber.learn_har(har)
    scrubber.learn_json(golden)
    return scrubber.scrub_har(har), scrubber.scrub_json(golden)


def _real_values() -> list[str]:
    found = []
    for p in PATIENTS:
        found += [*p.values(), _us(p["dob"]), f"{p['last']}, {p['first']}",
                  p["phone"][2:]]
    return found


def test_no_real_patient_value_survives_an_empty_policy() -> None:
    har, golden = _scrubbed(NO_PHI_POLICY)
    for where, text in (("HAR", json.dumps(har)), ("golden", json.dumps(golden))):
        for value in _real_values():
            assert re.search(rf"(?<![A-Za-z0-9]){re.escape(value)}(?![A-Za-z0-9])",
                             text) is None, f"{value!r} left in the {where}"


def test_the_har_shows_the_golden_s_pseudonyms() -> None:
    har, golden = _scrubbed(NO_PHI_POLICY)
    page = har["log"]["entries"][0]["response"]["content"]["text"]
    rows = [re.findall(r"<td>([^<]*)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", page)]
    expected = []
    for patient in golden["outputs"]["Patient"]:
        first, last = patient["firstName"], patient["lastName"]
        expected.append([f"{last}, {first}", first, last, _us(patient["dob"]),
                         patient["mrn"], patient["insurance"][0]["memberId"],
                         patient["address"]["line1"], patient["address"]["city"]])
    assert rows == expected
    assert not {c for row in rows for c in row} & set(_real_values())  # pseudonyms, not reals


def test_a_policy_naming_the_fields_gives_the_same_pseudonyms() -> None:
    """Learning a value through the entity and through the adapter's policy is one
    deterministic pseudonym: the Valant recordings, whose policy names these fields,
    scrub the same as before."""
    _, by_entity = _scrubbed(NO_PHI_POLICY)
    _, by_policy = _scrubbed(load_policy(VALANT_POLICY))
    assert by_entity == by_policy
