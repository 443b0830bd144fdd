"""The entity registry, the public surface, and the committed JSON Schemas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

import portwright.entities as entities
from portwright.cli import app
from portwright.entities import (
    ENTITY_MODELS,
    Appointment,
    AssessmentResult,
    Patient,
    UnknownEntityError,
    entity_model,
    validate,
)
from portwright.entities.schema_export import render_entity_schemas, schema_drift
from portwright.exceptions import PortwrightError

ROOT = Path(__file__).resolve().parents[3]
COMMITTED = ROOT / "schemas" / "entities"
runner = CliRunner()

ISSUE_ENTITIES = {
    "Patient", "Provider", "Location", "Appointment", "Encounter", "ClinicalNote",
    "Diagnosis", "TreatmentPlan", "CareGoal", "AssessmentResult", "InsurancePolicy", "Payer",
    "Claim", "ServiceLine", "Remittance", "Payment", "Adjustment", "Document", "Task",
}


def test_registry_holds_every_entity_the_issue_lists() -> None:
    assert set(ENTITY_MODELS) == ISSUE_ENTITIES
    assert entity_model("Patient") is Patient


def test_unknown_entity_names_list_the_known_ones() -> None:
    with pytest.raises(UnknownEntityError) as caught:
        entity_model("Patients")
    assert "'Patients'" in str(caught.value) and "Patient," in str(caught.value)
    assert isinstance(caught.value, LookupError)
    assert isinstance(caught.value, PortwrightError)   # one tree, as the README promises


def test_public_surface_is_sorted_and_exports_every_entity() -> None:
    # Sorted the way ruff's RUF022 sorts: CONSTANTS, then Classes, then functions.
    def kind(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    assert entities.__all__ == sorted(entities.__all__, key=kind)
    assert set(ENTITY_MODELS) <= set(entities.__all__)
    for name in entities.__all__:
        assert hasattr(entities, name), name


def test_committed_schemas_are_fresh() -> None:
    drift = schema_drift(COMMITTED)
    assert not drift, f"{drift.describe()}\nrun: portwright schema entities"


def test_schemas_are_valid_json_schema_2020_12() -> None:
    for text in render_entity_schemas().values():
        jsonschema.Draft202012Validator.check_schema(json.loads(text))


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((COMMITTED / f"{name}.schema.json").read_text())
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_emitted_entities_conform_to_the_committed_schemas(
    patient_json: dict[str, Any], appointment_json: dict[str, Any],
    assessment_json: dict[str, Any],
) -> None:
    for model, data in ((Patient, patient_json), (Appointment, appointment_json),
                        (AssessmentResult, assessment_json)):
        emitted = validate(model, data).to_json_dict()
        errors = list(_validator(model.__name__).iter_errors(emitted))
        assert errors == [], [e.message for e in errors]


def test_schemas_reject_what_the_models_reject(patient_json: dict[str, Any]) -> None:
    emitted = validate(Patient, patient_json).to_json_dict()
    validator = _validator("Patient")
    assert not validator.is_valid({**emitted, "ssn": "x"})            # unknown field
    assert not validator.is_valid({**emitted, "sex": "F"})            # not in the enum
    missing = dict(emitted)
    del missing["updatedAt"]
    assert not validator.is_valid(missing)
    bad_phone = {**emitted, "contact": {"email": None, "phone": "206-555-0192"}}
    assert not validator.is_valid(bad_phone)                          # not E.164


def test_cli_check_reports_drift_and_export_repairs_it(tmp_path: Path) -> None:
    out = tmp_path / "schemas"
    result = runner.invoke(app, ["schema", "entities", "--out", str(out), "--check"])
    assert result.exit_code == 1
    assert "missing: Adjustment.schema.json" in result.output

    result = runner.invoke(app, ["schema", "entities", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{name}.schema.json" for name in ISSUE_ENTITIES
    )

    (out / "Patient.schema.json").write_text("{}\n")
    (out / "Ghost.schema.json").write_text("{}\n")
    result = runner.invoke(app, ["schema", "entities", "--out", str(out), "--check"])
    assert result.exit_code == 1
    assert "outdated: Patient.schema.json" in result.output
    assert "no longer an entity: Ghost.schema.json" in result.output

    result = runner.invoke(app, ["schema", "entities", "--out", str(out)])
    assert "updated" in result.output and not (out / "Ghost.schema.json").exists()
    result = runner.invoke(app, ["schema", "entities", "--out", str(out), "--check"])
    assert result.exit_code == 0 and "up to date" in result.output
    assert json.loads((out / "Patient.schema.json").read_text())["title"] == "Patient"
