"""Values that moved between fields in an output of one or two records (a detail page's
patient, a search that found two), judged against the repository's committed Valant
goldens (no browser).

``field_values_moved`` needed 3 matched records: a ``valant.patients.get`` whose map now
reads each name from the other's element, or the phone number into ``email``, was
reported healthy (or only as a kind that changed, with no word of where the value came
from). One record proves a move only where it cannot be data that changed: the fields
hold each other's baseline values, or a value of another kind that is another field's.
A value that changed, or that came to equal another field's, raises nothing."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from portwright.recording.scrub import Scrubber
from portwright_monitor.golden_forms import scrub_policy_of
from portwright_monitor.moved_values import moved_fields

ROOT = Path(__file__).resolve().parents[2]
POLICY = scrub_policy_of("valant")


def golden(flow: str, scenario: str) -> dict[str, Any]:
    path = ROOT / "recordings" / "valant" / flow / "2025.4" / scenario / "golden.json"
    loaded: dict[str, Any] = json.loads(path.read_text())
    return loaded


PATIENT: dict[str, Any] = golden("patients.get", "one-patient")["outputs"]["Patient"][0]
LISTED: list[dict[str, Any]] = golden("patients.list",
                                      "discharged-one-provider")["outputs"]["Patient"]


def moves(baseline: list[dict[str, Any]], live: list[dict[str, Any]]
          ) -> set[tuple[str, str]]:
    """(field, the field whose baseline values it holds) of every move reported."""
    found = moved_fields({"outputs": {"Patient": baseline}}, {"Patient": live}, POLICY)
    return {(m.field, m.now_holds) for ms in found.values() for m in ms}


def changed(record: dict[str, Any], **values: Any) -> dict[str, Any]:
    """``record`` with fields set to ``values``' values (nested ones by ``__``:
    ``contact__email`` is ``contact.email``)."""
    out = copy.deepcopy(record)
    for dotted, value in values.items():
        *parents, leaf = dotted.split("__")
        node = out
        for key in parents:
            node = node[key]
        node[leaf] = value
    return out


def test_an_unchanged_patient_raises_nothing() -> None:
    assert moves([PATIENT], [copy.deepcopy(PATIENT)]) == set()


def test_swapped_names_of_the_one_patient_are_reported_with_where_they_went() -> None:
    live = changed(PATIENT, firstName=PATIENT["lastName"], lastName=PATIENT["firstName"])
    assert moves([PATIENT], [live]) == {("firstName", "lastName"), ("lastName", "firstName")}
    # city and state: words into a code's field and back
    address = PATIENT["address"]
    live = changed(PATIENT, address__city=address["region"], address__region=address["city"])
    assert moves([PATIENT], [live]) == {("address.city", "address.region"),
                                        ("address.region", "address.city")}


def test_the_phone_read_into_email_is_reported_as_holding_the_phone() -> None:
    """The phone's element read twice: ``email`` holds a phone number, the phone's own."""
    live = changed(PATIENT, contact__email=PATIENT["contact"]["phone"])
    assert moves([PATIENT], [live]) == {("contact.email", "contact.phone")}


def test_values_that_changed_are_no_move() -> None:
    """Another first name, another status; a preferred-name-like change (the first name
    became what the last name is: the same value in two fields, legitimately); a moment
    that came to equal another field's (same kind, no exchange)."""
    portal = PATIENT["portalEnrollment"]
    for live in (changed(PATIENT, firstName="Joanna", status="active"),
                 changed(PATIENT, firstName=PATIENT["lastName"]),
                 changed(PATIENT, updatedAt=portal["invitedOn"]),
                 changed(PATIENT, portalEnrollment__invitedOn=PATIENT["updatedAt"],
                         updatedAt="2026-11-30T09:12:44Z")):
        assert moves([PATIENT], [live]) == set(), live


def test_two_listed_patients_are_judged_record_by_record() -> None:
    """A search that found two of the baseline's patients: a swap in both is reported;
    one patient swapped and the other not is no selector that moved."""
    def swap(record: dict[str, Any]) -> dict[str, Any]:
        return changed(record, firstName=record["lastName"], lastName=record["firstName"])

    assert moves(LISTED, [swap(LISTED[0]), swap(LISTED[2])]) == {
        ("firstName", "lastName"), ("lastName", "firstName")}
    assert moves(LISTED, [swap(LISTED[0]), copy.deepcopy(LISTED[2])]) == set()
    assert moves(LISTED, [copy.deepcopy(r) for r in LISTED[:2]]) == set()


def test_a_scrubbed_baseline_is_compared_through_its_pseudonyms() -> None:
    """The golden taken as the live portal's real values and recorded again, as the
    recorder would: the live record is known through the pseudonyms, and the swap found."""
    scrubber = Scrubber(POLICY)
    scrubber.learn_json({"outputs": {"Patient": [PATIENT]}})
    recorded = scrubber.scrub_json(PATIENT)
    assert recorded["lastName"] != PATIENT["lastName"]   # the premise: pseudonyms
    live = changed(PATIENT, firstName=PATIENT["lastName"], lastName=PATIENT["firstName"])
    assert moves([recorded], [live]) == {("firstName", "lastName"), ("lastName", "firstName")}
    assert moves([recorded], [copy.deepcopy(PATIENT)]) == set()
