"""CPT format checks and the behavioral-health time and add-on rules of codes.md."""

from __future__ import annotations

import pytest

from portwright.codes import code_combination_problems, cpt_info, is_valid_cpt
from portwright.codes.cpt import psychotherapy_code_for_minutes


def _full_width(text: str) -> str:
    """``text`` with its ASCII digits in full-width form (an IME, a copy from a PDF)."""
    return text.translate({ord("0") + d: 0xFF10 + d for d in range(10)})


@pytest.mark.parametrize("code", ["90834", "99213", "1234F", "0591T", "T1005", "G0444"])
def test_valid_formats(code: str) -> None:
    assert is_valid_cpt(code)


@pytest.mark.parametrize("code", ["9083", "908345", "90834 ", "W1234", "ABCDE", ""])
def test_invalid_formats(code: str) -> None:
    assert not is_valid_cpt(code)


@pytest.mark.parametrize(
    ("minutes", "code"),
    [(15, None), (16, "90832"), (37, "90832"), (38, "90834"), (52, "90834"), (53, "90837"),
     (90, "90837")],
)
def test_psychotherapy_time_rule(minutes: int, code: str | None) -> None:
    assert psychotherapy_code_for_minutes(minutes) == code


def test_add_on_family_with_em() -> None:
    assert psychotherapy_code_for_minutes(40, with_em=True) == "90836"


def test_table_entries() -> None:
    info = cpt_info("90837")
    assert info is not None and info.min_minutes == 53 and not info.add_on
    add_on = cpt_info("90840")
    assert add_on is not None and add_on.add_on and add_on.requires_any == {"90839"}
    em = cpt_info("99215")
    assert em is not None and em.min_minutes == 40
    assert cpt_info("87070") is None


def test_pairing_rules() -> None:
    assert code_combination_problems(["99214", "90836"]) == []
    assert code_combination_problems(["90839", "90840"]) == []
    assert "without its primary" in code_combination_problems(["90840"])[0]
    assert "without its primary" in code_combination_problems(["90833"])[0]
    assert any("E/M" in p for p in code_combination_problems(["99213", "90834"]))
    assert any("one psychotherapy" in p for p in code_combination_problems(["90832", "90834"]))
    assert code_combination_problems(["90791", "90785"]) == []
    assert code_combination_problems(["90785"]) != []


@pytest.mark.parametrize("code", [
    _full_width("90834"), "9083" + _full_width("4"), "G" + _full_width("0") + "444",
    _full_width("1") + "234F",
])
def test_codes_in_non_ascii_digits_are_not_cpt_codes(code: str) -> None:
    assert not is_valid_cpt(code)
