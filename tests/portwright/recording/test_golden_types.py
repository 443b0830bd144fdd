"""A golden comparison is a JSON comparison: an integer that became a float or a boolean
is a difference a caller of the flow sees, though Python calls them equal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from portwright.exceptions import ReplayMismatch
from portwright.recording.golden import assert_matches_golden, diff
from portwright.recording.layout import RecordingPaths
from portwright.recording.replayer import ReplayOutcome


@pytest.mark.parametrize(("golden", "actual", "shown"), [
    (28, 28.0, "$.outputs.Patient[0].age: 28.0 (number), expected 28 (integer)"),
    (1, True, "$.outputs.Patient[0].age: true (boolean), expected 1 (integer)"),
    (False, 0, "$.outputs.Patient[0].age: 0 (integer), expected false (boolean)"),
    (1.0, True, "$.outputs.Patient[0].age: true (boolean), expected 1.0 (number)"),
])
def test_a_changed_json_type_is_a_difference(golden: Any, actual: Any, shown: str) -> None:
    def doc(age: Any) -> dict[str, Any]:
        return {"outputs": {"Patient": [{"id": "pt_1", "age": age}]}}

    assert list(diff(doc(golden), doc(actual))) == [shown]
    with pytest.raises(ReplayMismatch) as err:
        assert_matches_golden(doc(golden), doc(actual), where="rec")
    assert shown in str(err.value)
    outcome = ReplayOutcome(RecordingPaths(Path("/r"), "valant", "valant.x", "2025.4"),
                            doc(actual), doc(golden))
    assert not outcome.matches


def test_equal_values_of_the_same_type_still_match() -> None:
    doc = {"outputs": {"n": 28, "x": 1.5, "ok": True, "none": None}}
    assert list(diff(doc, {"outputs": dict(doc["outputs"])})) == []
    assert ReplayOutcome(RecordingPaths(Path("/r"), "valant", "valant.x", "2025.4"),
                         doc, doc).matches
