"""The standard suite's name check on a small workspace: a typo fails, a version branch
does not (names under ``if`` + ``map_offers`` are required only of the versions that can
take that branch)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from portwright.settings import load_settings
from portwright.testing.standard_suite import FlowNamesInMaps, SuiteContext

REPO = load_settings()

HEADER = """flow: valant.check
version: 1
steps:
  - action: goto
    url: "{{ portal.base_url }}/patients"
"""


def _workspace(tmp_path: Path, steps: str) -> SuiteContext:
    shutil.copytree(REPO.path("selectors") / "valant", tmp_path / "selectors" / "valant")
    (tmp_path / "flows" / "valant").mkdir(parents=True)
    (tmp_path / "flows" / "valant" / "check.yaml").write_text(HEADER + steps)
    return SuiteContext("valant", load_settings(tmp_path, root=tmp_path,
                                                flows=tmp_path / "flows",
                                                selectors=tmp_path / "selectors"))


def test_names_in_a_version_branch_need_one_version(tmp_path: Path) -> None:
    ctx = _workspace(tmp_path, """  - action: if
    map_offers: [patients.load_more]
    then:
      - action: click
        target: patients.load_more
    else:
      - action: click
        target: patients.next_page
""")
    FlowNamesInMaps().run(ctx)


def test_a_misspelled_name_fails_naming_file_name_and_version(tmp_path: Path) -> None:
    ctx = _workspace(tmp_path, """  - action: click
    target: patients.nxt_page
  - action: if
    map_offers: [patients.load_more]
    then:
      - action: click
        target: patients.lod_more
""")
    with pytest.raises(AssertionError) as err:
        FlowNamesInMaps().run(ctx)
    text = str(err.value)
    assert "check.yaml: 'patients.nxt_page' is not in map 2025.4" in text
    assert "check.yaml: 'patients.nxt_page' is not in map 2026.1" in text
    # only 2026.1 offers the load-more list, so only it must define the guarded name
    assert "check.yaml: 'patients.lod_more' is not in map 2026.1" in text
    assert "'patients.lod_more' is not in map 2025.4" not in text
