"""Place of service (the 52 codes pyx12 also knows) and modifier rules."""

from __future__ import annotations

import pytest

from portwright.codes import (
    PLACE_OF_SERVICE,
    TELEHEALTH_POS,
    is_telehealth_modifier,
    is_valid_modifier,
    is_valid_pos,
    modifier_problems,
    pos_name,
)

# codes.md: pyx12's list is 01-27, 31-34, 41, 42, 49-58, 60-62, 65, 66, 71, 72, 81, 99.
_EXPECTED = (
    [f"{n:02d}" for n in range(1, 28)] + ["31", "32", "33", "34", "41", "42"]
    + [str(n) for n in range(49, 59)] + ["60", "61", "62", "65", "66", "71", "72", "81", "99"]
)


def test_exactly_the_52_cms_codes() -> None:
    assert len(_EXPECTED) == 52
    assert sorted(PLACE_OF_SERVICE) == sorted(_EXPECTED)


@pytest.mark.parametrize("code", ["00", "30", "28", "59", "98", "1", "011", "11 "])
def test_unassigned_pos_rejected(code: str) -> None:
    assert not is_valid_pos(code)


def test_telehealth_pos() -> None:
    assert {"02", "10"} == TELEHEALTH_POS
    assert pos_name("10") == "Telehealth Provided in Patient's Home"
    assert pos_name("11") == "Office"


def test_telehealth_modifiers() -> None:
    for code in ["95", "93", "GT", "FQ", "GQ"]:
        assert is_telehealth_modifier(code)
        assert is_valid_modifier(code)
    assert not is_telehealth_modifier("25")


def test_modifier_problems() -> None:
    assert modifier_problems(["95", "HO"]) == []
    assert any("unknown modifier 'ZZ'" in p for p in modifier_problems(["ZZ"]))
    assert any("contradict" in p for p in modifier_problems(["95", "93"]))
    assert any("at most 4" in p for p in modifier_problems(["95", "HO", "HE", "U1", "U2"]))
    assert any("repeated" in p for p in modifier_problems(["95", "95"]))
    assert not is_valid_modifier("9")
