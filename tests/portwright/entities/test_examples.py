"""Every registered entity has an example that validates, round-trips and fits its schema.

This is the standard check each entity (including ones added later) must pass: the
committed JSON Schema accepts what the model emits, checked by an independent validator.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from portwright.entities import ENTITY_MODELS, validate
from portwright.entities.examples import ENTITY_EXAMPLES, example

COMMITTED = Path(__file__).resolve().parents[3] / "schemas" / "entities"


def test_every_entity_has_an_example() -> None:
    assert set(ENTITY_EXAMPLES) == set(ENTITY_MODELS)


@pytest.mark.parametrize("name", sorted(ENTITY_MODELS))
def test_example_validates_round_trips_and_fits_the_schema(name: str) -> None:
    model = ENTITY_MODELS[name]
    entity = validate(model, example(name))
    emitted = entity.to_json_dict()
    assert validate(model, emitted) == entity
    assert json.loads(json.dumps(emitted)) == emitted  # plain JSON, nothing exotic
    schema = json.loads((COMMITTED / f"{name}.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(emitted), key=lambda e: list(e.path))
    assert errors == [], [f"{list(e.path)}: {e.message}" for e in errors]
    # The schema describes emitted JSON: every property it lists is present.
    assert set(schema["required"]) == set(emitted)


def test_examples_are_copies() -> None:
    first = example("Patient")
    first["mrn"] = "changed"
    assert example("Patient")["mrn"] == "MRN-10027"
