"""ICD-10-CM: billable means leaf; dotted and undotted forms are the same code."""

from __future__ import annotations

import pytest

from portwright.codes import (
    billable_icd10_examples,
    icd10_description,
    icd10_for_x12,
    icd10_level,
    is_billable_icd10,
    is_valid_icd10,
    normalize_icd10,
)


@pytest.mark.parametrize(
    "code",
    ["F32.9", "F329", "F32.A", "F33.40", "F41.1", "F43.10", "F43.12", "F10.20",
     "R45.851", "T14.91XA", "f41.1", " F411 "],
)
def test_billable_codes(code: str) -> None:
    assert is_billable_icd10(code)


@pytest.mark.parametrize("code", ["F32", "F43.1", "ZZZ9", "F33.1X", "", "0340"])
def test_not_billable(code: str) -> None:
    assert not is_billable_icd10(code)


def test_category_is_valid_item_but_not_billable() -> None:
    assert is_valid_icd10("F32")
    assert not is_billable_icd10("F32")
    assert not is_valid_icd10("ZZZ9")


def test_normalize_both_directions() -> None:
    assert normalize_icd10("f329") == "F32.9"
    assert normalize_icd10("F32.9") == "F32.9"
    assert normalize_icd10("T1491XA") == "T14.91XA"
    assert icd10_for_x12("F33.40") == "F3340"
    assert icd10_for_x12("f41.1") == "F411"
    with pytest.raises(ValueError):
        normalize_icd10("ZZZ9")


def test_description_comes_from_the_cms_list() -> None:
    assert icd10_description("F41.1") == "Generalized anxiety disorder"


@pytest.mark.parametrize(
    ("code", "level"),
    [("5", "chapter"), ("F30-F39", "block"), ("F32", "category"), ("F43.1", "category"),
     ("F32.9", "code"), ("f329", "code")],
)
def test_icd10_level_names_what_was_typed(code: str, level: str) -> None:
    assert icd10_level(code) == level


def test_icd10_level_of_an_unknown_code_is_an_error() -> None:
    with pytest.raises(ValueError):
        icd10_level("ZZZ9")


@pytest.mark.parametrize("code", ["F10", "F32", "F43.1", "T14.9", "F30-F39", "5", "Z00"])
def test_billable_examples_are_billable_and_under_the_code(code: str) -> None:
    examples = billable_icd10_examples(code)
    assert len(examples) == 3
    assert all(is_billable_icd10(example) for example in examples)
    if len(code) >= 3 and "-" not in code:
        assert all(example.startswith(code.rstrip(".")) for example in examples)


def test_a_billable_or_unknown_code_has_no_examples() -> None:
    assert billable_icd10_examples("F32.9") == []
    assert billable_icd10_examples("ZZZ9") == []
