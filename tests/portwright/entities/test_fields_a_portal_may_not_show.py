"""Fields a portal may legitimately not show are null, not invented.

A portal whose patient list shows no sex, no chart status and no last-change time must
still yield valid ``Patient`` entities; the same holds for an assessment's form version
and collection channel and a task's creation time. The keys stay in the emitted JSON
(integrators expect the reference shape), with ``null``; the exported JSON Schema says
each may be null, and an input schema does not demand them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from portwright.entities import AssessmentResult, Patient, Task, validate

COMMITTED = Path(__file__).resolve().parents[3] / "schemas" / "entities"

#: what such a portal shows, and the keys it does not show
CASES: list[tuple[type[Any], dict[str, Any], tuple[str, ...]]] = [
    (Patient, {"patientId": "pt_1", "mrn": "MRN-1", "firstName": "Avery",
               "lastName": "Nguyen", "dob": "1992-04-17"},
     ("sex", "status", "updatedAt")),
    (AssessmentResult, {"assessmentResultId": "asr_1", "patientId": "pt_1",
                        "instrument": "PHQ-9", "completedOn": "2026-01-18T16:31:22Z"},
     ("version", "collectedVia")),
    (Task, {"taskId": "tsk_1", "title": "Call back"}, ("createdAt",)),
]


@pytest.mark.parametrize(("model", "shown", "unshown"), CASES,
                         ids=[model.__name__ for model, _, _ in CASES])
def test_an_entity_without_them_validates_and_emits_null(
        model: type[Any], shown: dict[str, Any], unshown: tuple[str, ...]) -> None:
    emitted = validate(model, shown).to_json_dict()
    for key in unshown:
        assert key in emitted, f"{key} left out of the emitted JSON"
        assert emitted[key] is None
    schema = json.loads((COMMITTED / f"{model.__name__}.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(emitted)


@pytest.mark.parametrize(("model", "shown", "unshown"), CASES,
                         ids=[model.__name__ for model, _, _ in CASES])
def test_the_schemas_allow_null_and_do_not_demand_them_on_input(
        model: type[Any], shown: dict[str, Any], unshown: tuple[str, ...]) -> None:
    exported = json.loads((COMMITTED / f"{model.__name__}.schema.json").read_text())
    as_input = model.model_json_schema(by_alias=True, mode="validation")
    for key in unshown:
        types = [branch.get("type") for branch in exported["properties"][key]["anyOf"]]
        assert "null" in types, f"{model.__name__}.{key} may not be null in the schema"
        assert exported["properties"][key]["default"] is None
        assert key not in as_input.get("required", [])


def test_a_patient_with_them_still_checks_them() -> None:
    shown = CASES[0][1]
    with pytest.raises(Exception, match="sex"):
        validate(Patient, {**shown, "sex": "F"})
    with pytest.raises(Exception, match="updatedAt"):
        validate(Patient, {**shown, "updatedAt": "2026-01-20T11:02:43"})  # naive
