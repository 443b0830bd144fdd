"""Every malformed flow and selector-map file in ``malformed/`` fails with the message a
person needs: file, line and column, the field, what is wrong and what was expected.

Each case file ends with comment directives: ``# expect: <text>`` (must appear in the
error), ``# at: LINE:COL``, ``# field: <path>``; selector cases also name the ``# file:``
they are saved as in a portal folder and helper files to put ``# with:`` them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from portwright.exceptions import DefinitionError, PortwrightError, UnsafeRetry
from portwright.flow.loader import FlowProblems, load_flow
from portwright.selector_map.loader import SelectorMapProblems, load_portal_maps

CORPUS = Path(__file__).parent / "malformed"
FLOW_CASES = sorted((CORPUS / "flows").glob("*.yaml"))
MAP_CASES = sorted((CORPUS / "selectors").glob("*.yaml"))


def directives(path: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        if line.startswith("# ") and ":" in line:
            key, value = line[2:].split(":", 1)
            out.setdefault(key.strip(), []).append(value.strip())
    return out


def first_problem(exc: PortwrightError) -> PortwrightError:
    problems = getattr(exc, "problems", None)
    return problems[0] if problems else exc


def check(exc: PortwrightError, path_in_message: Path, d: dict[str, list[str]]) -> None:
    text = f"{type(first_problem(exc)).__name__}: {exc}"
    for expected in d.get("expect", []):
        assert expected in text, f"{expected!r} not in {text!r}"
    first = first_problem(exc)
    assert str(path_in_message) in str(first)
    if "at" in d:
        line, col = (int(x) for x in d["at"][0].split(":"))
        if isinstance(first, DefinitionError):
            assert (first.line, first.column) == (line, col), str(first)
        assert f"{path_in_message}:{line}:{col}:" in str(first)
    if "field" in d:
        field = d["field"][0]
        if isinstance(first, DefinitionError):
            assert first.field == field, str(first)
        assert f"'{field}'" in str(first)


def test_corpus_is_large_enough() -> None:
    assert len(FLOW_CASES) + len(MAP_CASES) >= 40


@pytest.mark.parametrize("case", FLOW_CASES, ids=lambda p: p.stem)
def test_malformed_flow(case: Path) -> None:
    d = directives(case)
    with pytest.raises((FlowProblems, DefinitionError, UnsafeRetry)) as info:
        load_flow(case)
    check(info.value, case, d)


@pytest.mark.parametrize("case", MAP_CASES, ids=lambda p: p.stem)
def test_malformed_selector_map(case: Path, tmp_path: Path) -> None:
    d = directives(case)
    folder = tmp_path / "toy"
    folder.mkdir()
    target = folder / d["file"][0]
    shutil.copy(case, target)
    for helper in d.get("with", []):
        shutil.copy(CORPUS / "selectors" / "helpers" / helper,
                    folder / helper.split("_", 1)[1])
    with pytest.raises((SelectorMapProblems, DefinitionError)) as info:
        load_portal_maps(folder)
    check(info.value, target, d)
