"""Each normalizer: both UI versions' raw records and the 2026.1 JSON give one entity.

Raw records here are written as each UI version prints them (see the sandbox templates);
expected values are the canonical forms of the reference API.
"""

from __future__ import annotations

import pytest

from portwright.entities import Appointment, Patient
from portwright.exceptions import EntityValidationError
from portwright_valant.adapter import ValantAdapter

NORMALIZE = ValantAdapter.normalizers

PATIENT = {
    "patientId": "pt_92c10f", "mrn": "MRN-10027", "firstName": "Avery", "lastName": "Nguyen",
    "dob": "1992-04-17", "sex": "female",
    "contact": {"email": "avery@example.com", "phone": "+12065550192"}, "address": None,
    "insurance": [], "primaryProviderId": "prv_41cf92",
    "portalEnrollment": {"status": "invited", "invitedOn": "2026-01-10T18:12:05Z"},
    "status": "active", "updatedAt": "2026-01-20T11:02:43Z",
}


def test_patient_from_the_2026_json_from_a_2025_chart_and_a_2026_chart_agree() -> None:
    api_item = {"patientId": "pt_92c10f", "mrn": "MRN-10027", "firstName": "Avery",
                "lastName": "Nguyen", "dob": "1992-04-17", "sex": "female",
                "contact": {"email": "avery@example.com", "phone": "+12065550192"},
                "primaryProvider": {"id": "prv_41cf92", "name": "Jo Lee, LCSW"},
                "portalEnrollment": {"status": "invited", "invitedOn": "2026-01-10T18:12:05Z"},
                "status": "active", "updatedAt": "2026-01-20T11:02:43Z"}
    chart_2025 = {"patient_id": "pt_92c10f", "first_name": "Avery", "last_name": "Nguyen",
                  "dob": "1992-04-17", "sex": "Female", "mrn": "MRN-10027", "status": "active",
                  "primary_provider_id": "prv_41cf92", "updated_at": "2026-01-20T11:02:43Z",
                  "phone": "+12065550192", "email": "avery@example.com",
                  "portal_status": "Invited", "portal_invited_on": "2026-01-10T18:12:05Z"}
    chart_2026 = chart_2025 | {"dob": "04/17/1992", "sex": "female",
                               "portal_status": "invited"}
    for raw in (api_item, chart_2025, chart_2026):
        assert NORMALIZE["Patient"](raw).to_json_dict() == PATIENT


def test_patient_coverage_rows_and_open_ended_policies() -> None:
    raw = {"patient_id": "pt_1", "first_name": "A", "last_name": "B", "dob": "2000-01-01",
           "sex": "male", "mrn": "MRN-1", "status": "active",
           "updated_at": "2026-01-20T11:02:43Z", "line1": "1 Main St", "city": "Kent",
           "region": "WA", "postal_code": "98032",
           "insurance": [{"policy_id": "pol_1", "payer_id": "payer_a", "type": "Primary",
                          "member_id": "M1", "group_number": "G1",
                          "effective_start": "2025-01-01", "effective_end": "open"}]}
    patient = NORMALIZE["Patient"](raw)
    assert patient.address is not None and patient.address.postal_code == "98032"
    assert patient.insurance[0].type == "primary"
    assert patient.insurance[0].effective_end is None


def test_a_bad_record_is_a_clear_error_naming_the_field_not_the_value() -> None:
    with pytest.raises(EntityValidationError) as caught:
        NORMALIZE["Patient"](PATIENT | {"dob": "17.04.1992"})
    assert any(p.field == "dob" for p in caught.value.problems)
    assert "17.04.1992" not in str(caught.value)


def test_appointment_detail_in_both_ui_versions() -> None:
    common = {"appointment_id": "apt_7c2e51", "patient_id": "pt_1", "provider_id": "prv_1",
              "location_id": "loc_1", "appointment_type": "Follow-up",
              "diagnosis_codes": "F41.1, F33.1", "place_of_service": "02",
              "telehealth_link": "https://meet.example/tele/apt_7c2e51",
              "notes": "Bring forms", "reference_id": "ehr-58320",
              "created_at": "2026-01-20T12:14:19Z"}
    v2025 = common | {"service_codes": "99214, 90833", "start_time": "2026-01-25T15:00:00Z",
                      "end_time": "2026-01-25T15:50:00Z", "reminders": "Email / Text",
                      "status": "cancelled (Patient ill)", "cancel_reason": None}
    v2026 = common | {"service_codes": "99214 + 90833", "start_time": "2026-01-25 15:00",
                      "end_time": "2026-01-25 15:50", "reminders": "email sms",
                      "status": "cancelled", "cancel_reason": "Patient ill"}
    a, b = NORMALIZE["Appointment"](v2025), NORMALIZE["Appointment"](v2026)
    assert isinstance(a, Appointment) and a.to_json_dict() == b.to_json_dict()
    assert (a.service_code, a.add_on_codes) == ("99214", ["90833"])
    assert (a.status, a.cancel_reason) == ("cancelled", "Patient ill")
    assert a.reminders.email and a.reminders.sms and a.telehealth.enabled


def test_assessment_is_scored_from_items_and_a_wrong_portal_total_is_flagged() -> None:
    raw = {"assessment_result_id": "asr_1", "patient_id": "pt_1", "instrument": "PHQ-9",
           "version": "1.0", "score_total": "13", "baseline": "16",
           "completed_on": "2026-01-18T16:31:22Z", "collected_via": "patient_portal",
           "provider_id": "prv_1",
           "answers": [{"question_id": f"phq9_q{i}", "value": v}
                       for i, v in enumerate([2, 1, 1, 1, 1, 1, 1, 1, 1], start=1)]}
    result = NORMALIZE["AssessmentResult"](raw)
    assert result.score_total == 10 and result.reported_score_total == 13
    assert "total_mismatch" in result.flags and "safety_followup" in result.flags
    assert (result.baseline_score, result.delta_from_baseline) == (16, -6)
    assert result.severity == "moderate"


def test_provider_location_and_already_built_entities() -> None:
    provider = NORMALIZE["Provider"]({"provider_id": "prv_1", "npi": "1234567893",
                                      "name_with_credential": "Ana Ruiz, LCSW"})
    assert (provider.first_name, provider.last_name, provider.credential) == \
        ("Ana", "Ruiz", "LCSW")
    several = NORMALIZE["Provider"]({"provider_id": "prv_2", "npi": "1234567893",
                                     "name_with_credential": "Ana Ruiz, PhD, LP"})
    assert (several.first_name, several.last_name, several.credential) == \
        ("Ana", "Ruiz", "PhD, LP")
    site = NORMALIZE["Location"]({"location_id": "loc_1", "name": "Tacoma",
                                  "address": "909 Pacific Ave\nTacoma, WA 98402",
                                  "details": "+12535550130 · POS 11 · 4 clinicians"})
    assert site.address is not None and site.address.city == "Tacoma"
    assert (site.phone, site.default_place_of_service) == ("+12535550130", "11")
    built = Patient.model_validate(PATIENT)
    assert NORMALIZE["Patient"](built) is built


def test_name_parts_read_separately_win_over_splitting_a_first_last_cell() -> None:
    # 2026.1 prints "First Last": split at a space, "de la Cruz" loses "de la"
    provider = NORMALIZE["Provider"]({
        "provider_id": "prv_3", "npi": "1234567893", "first_name": "Ana Lucía",
        "last_name": "de la Cruz", "name_with_credential": "Ana Lucía de la Cruz, LCSW"})
    assert (provider.first_name, provider.last_name, provider.credential) == \
        ("Ana Lucía", "de la Cruz", "LCSW")
    claim = NORMALIZE["Claim"]({
        "claim_id": "clm_1", "payer_id": "payer_x", "patient_id": "pt_1", "member_id": "M1",
        "practice": "Cascadia Behavioral Health — Group NPI 1234567893",
        "rendering": "Ana Lucía de la Cruz · NPI 1234567893",
        "rendering_first_name": "Ana Lucía", "rendering_last_name": "de la Cruz",
        "diagnosis_codes": "F41.1", "service_date": "2026-01-02", "place_of_service": "11",
        "lines": [{"code": "90834", "charge": "$120.00"}]})
    assert claim.rendering_provider is not None
    assert (claim.rendering_provider.first_name, claim.rendering_provider.last_name) == \
        ("Ana Lucía", "de la Cruz")


def test_plan_interventions_lose_their_bullets_not_a_typed_dash() -> None:
    plan = NORMALIZE["TreatmentPlan"]({
        "treatment_plan_id": "tp_1", "patient_id": "pt_1", "provider_id": "prv_1",
        "version": "1", "problem": "N/A", "interventions": "- CBT weekly\n\u2022 DBT group\n-",
        "goals": [], "signed": "No", "created_at": "2026-01-20T10:00:00Z"})
    assert plan.problem == "N/A"
    assert plan.interventions == ["CBT weekly", "DBT group", "-"]


def test_notes_keep_every_version_and_the_latest_signature() -> None:
    note = NORMALIZE["ClinicalNote"]({"note_id": "note_1", "encounter_id": "enc_1", "versions": [
        {"version": "2", "body": "Amended", "created_at": "2026-01-21T10:00:00Z",
         "signed": "No"},
        {"version": "1", "body": "Original", "created_at": "2026-01-20T10:00:00Z",
         "signed": "Yes", "signed_at": "2026-01-20T11:00:00Z", "signed_by": "prv_1"}]})
    assert [v.body for v in note.versions] == ["Original", "Amended"]
    assert note.signed is False and note.versions[0].signed_by == "prv_1"


@pytest.mark.parametrize("title", ["N/A", "-", "None"])
def test_a_document_titled_like_an_empty_cell_keeps_its_title(title: str) -> None:
    """A title is typed text: 'N/A' is what the uploader typed, not a missing title
    (which the entity refuses, failing the whole document list)."""
    raw = {"document_id": "doc_1", "patient_id": "pt_1", "document_type": "Intake",
           "title": title, "file_name": "intake.pdf", "content_type": "application/pdf",
           "size": "2,048", "uploaded_by": "devadmin", "uploaded_at": "2026-11-30T20:00:00Z"}
    assert NORMALIZE["Document"](raw).title == title


PROVIDER_ROW = {"provider_id": "prv_1", "name": "Lee, Jo", "credential": "LCSW",
                "npi": "1234567893", "location_id": "loc_1"}


@pytest.mark.parametrize(("shown", "status"), [("Active", "active"), ("Inactive", "inactive")])
def test_a_provider_s_status_is_what_the_list_shows(shown: str, status: str) -> None:
    assert NORMALIZE["Provider"](PROVIDER_ROW | {"status": shown}).status == status


@pytest.mark.parametrize("shown", ["", "On leave"])
def test_a_provider_status_the_entity_does_not_know_is_refused_not_guessed(shown: str) -> None:
    with pytest.raises(EntityValidationError, match="status"):
        NORMALIZE["Provider"](PROVIDER_ROW | {"status": shown})
