"""Finding flows by name in a workspace folder, as files are added, edited and removed
between runs of one long-lived process (the Python API, the replay suite)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from portwright.exceptions import FlowDefinitionError
from portwright.flow.repository import FlowRepository

STEPS = "steps:\n  - {action: goto, url: 'https://portal.test/'}\n"


def write(folder: Path, filename: str, name: str) -> Path:
    path = folder / "toy" / filename
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"flow: {name}\n{STEPS}", encoding="utf-8")
    return path


def test_flows_are_found_by_their_header_not_their_file_name(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "toy.alpha")
    write(tmp_path, "b.yaml", "toy.beta")
    repo = FlowRepository(tmp_path)
    assert repo.get("toy.alpha").flow == "toy.alpha"
    assert repo.path_of("toy.beta") == tmp_path / "toy" / "b.yaml"


def test_a_renamed_flow_is_found_under_its_new_name_only(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "toy.alpha")
    repo = FlowRepository(tmp_path)
    assert repo.get("toy.alpha").flow == "toy.alpha"
    path.write_text(f"flow: toy.alpha_renamed\n{STEPS}", encoding="utf-8")
    assert repo.get("toy.alpha_renamed").flow == "toy.alpha_renamed"
    with pytest.raises(FlowDefinitionError, match=re.escape("no flow named 'toy.alpha'")):
        repo.get("toy.alpha")


def test_added_and_removed_files_are_seen(tmp_path: Path) -> None:
    first = write(tmp_path, "a.yaml", "toy.alpha")
    repo = FlowRepository(tmp_path)
    with pytest.raises(FlowDefinitionError) as missing:
        repo.get("toy.beta")
    assert "toy.alpha" in str(missing.value)  # the error lists what does exist
    write(tmp_path, "b.yaml", "toy.beta")
    assert repo.get("toy.beta").flow == "toy.beta"
    first.unlink()
    assert set(repo.index("toy")) == {"toy.beta"}


def test_an_edited_flow_is_parsed_again_and_an_unchanged_one_is_not(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "toy.alpha")
    repo = FlowRepository(tmp_path)
    parsed = repo.get("toy.alpha")
    assert repo.get("toy.alpha") is parsed
    path.write_text(f"flow: toy.alpha\n{STEPS}  - {{action: goto, url: 'https://portal.test/b'}}\n",
                    encoding="utf-8")
    edited = repo.get("toy.alpha")
    assert len(edited.steps) == 2


def test_an_unknown_name_suggests_close_names_not_every_flow(tmp_path: Path) -> None:
    for i in range(12):
        write(tmp_path, f"f{i}.yaml", f"toy.flow_{i}")
    write(tmp_path, "patients.yaml", "toy.patients.list")
    repo = FlowRepository(tmp_path)
    with pytest.raises(FlowDefinitionError) as info:
        repo.get("toy.patients.lsit")
    assert "did you mean 'toy.patients.list'?" in str(info.value)
    assert "toy.flow_3" not in str(info.value)


def test_two_files_declaring_one_name_are_refused_naming_both(tmp_path: Path) -> None:
    first = write(tmp_path, "a.yaml", "toy.alpha")
    second = write(tmp_path, "b.yaml", "toy.alpha")
    repo = FlowRepository(tmp_path)
    with pytest.raises(FlowDefinitionError) as info:
        repo.get("toy.alpha")
    assert str(info.value).startswith(
        f"{first}:1:1: flow 'toy.alpha' is declared by 2 files: {second} as well")


def test_a_file_that_is_not_utf8_does_not_hide_the_other_flows(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "toy.alpha")
    (tmp_path / "toy" / "b.yaml").write_bytes(b"flow: toy.beta\ndescription: caf\xe9\n")
    (tmp_path / "toy" / "c.yaml").write_bytes(b"\xef\xbb\xbfflow: toy.gamma\n" + STEPS.encode())
    repo = FlowRepository(tmp_path)
    assert repo.get("toy.alpha").flow == "toy.alpha"
    assert repo.get("toy.gamma").flow == "toy.gamma"
    with pytest.raises(FlowDefinitionError, match=re.escape(
            "b.yaml:2:17: not UTF-8 text (byte 0xe9 invalid continuation byte)")):
        repo.get("toy.beta")
