"""Where each setting's value comes from: every setting follows default < workspace <
environment < command line, and the settings say which level won and where it was set."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from portwright.settings import Precedence, Settings, load_settings

#: for every setting but ``root``: a value for the workspace file (TOML), the variable and
#: the command line, each different from the level below
LEVELS: dict[str, tuple[str, str, Any]] = {
    "flows": ('"ws-flows"', "env-flows", Path("cli-flows")),
    "selectors": ('"ws-sel"', "env-sel", Path("cli-sel")),
    "recordings": ('"ws-rec"', "env-rec", Path("cli-rec")),
    "adapters": ('"ws-ad"', "env-ad", Path("cli-ad")),
    "artifacts": ('"ws-art"', "env-art", Path("cli-art")),
    "state": ('"ws-state"', "env-state", Path("cli-state")),
    "browser": ('"/ws/chrome"', "/env/chrome", "/cli/chrome"),
    "headless": ("false", "true", False),
    "step_timeout_ms": ("100", "200", 300),
    "resolution_reuse_s": ("1.5", "2.5", 3.5),
    "page_recycle_runs": ("1", "2", 3),
    "artifact_privacy": ('"full"', "masked", "full"),
    "record_mode": ('"once"', "all", "new_episodes"),
}


def test_the_table_covers_every_setting() -> None:
    assert set(LEVELS) | {"root"} == set(Settings.model_fields)


def _value(settings: Settings, name: str) -> Any:
    value = getattr(settings, name)
    return settings.path(name).name if isinstance(value, Path) else value


@pytest.mark.parametrize("name", sorted(LEVELS))
def test_each_level_overrides_the_one_below_and_is_named(
        name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    in_file, in_env, on_cmdline = LEVELS[name]
    file = tmp_path / "portwright.toml"
    start = tmp_path / "flows" / "valant"
    start.mkdir(parents=True)
    monkeypatch.delenv(f"PORTWRIGHT_{name.upper()}", raising=False)

    default = load_settings(start)
    assert default.source(name).level is Precedence.DEFAULT
    assert default.origin(name) == "the default"

    file.write_text(f"# settings\n\n{name} = {in_file}\n")
    from_file = load_settings(start)
    assert from_file.source(name).level is Precedence.WORKSPACE
    assert from_file.source(name).place == f"{file}:3"
    assert from_file.origin(name) == f"{name} = {in_file} in {file}"
    assert _value(from_file, name) != _value(default, name)

    monkeypatch.setenv(f"PORTWRIGHT_{name.upper()}", in_env)
    from_env = load_settings(start)
    assert from_env.source(name).level is Precedence.ENVIRONMENT
    assert from_env.origin(name) == f"from PORTWRIGHT_{name.upper()}"
    assert _value(from_env, name) != _value(from_file, name)

    from_cmdline = load_settings(start, **{name: on_cmdline})
    assert from_cmdline.source(name).level is Precedence.CMDLINE
    assert from_cmdline.origin(name) == "from the command line"
    assert _value(from_cmdline, name) != _value(from_env, name)
    if isinstance(on_cmdline, Path):
        assert from_cmdline.path(name) == tmp_path.resolve() / on_cmdline  # root, not cwd
    else:
        assert getattr(from_cmdline, name) == on_cmdline


def test_effective_settings_list_every_value_and_where_it_came_from(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[project]\nname = 'x'\n\n[tool.portwright]\nflows = 'my-flows'\n")
    monkeypatch.setenv("PORTWRIGHT_STEP_TIMEOUT_MS", "900")
    (tmp_path / "sub").mkdir()
    effective = {s.name: s for s in load_settings(tmp_path / "sub", headless=False).effective()}
    assert list(effective) == list(Settings.model_fields)
    root = tmp_path.resolve()
    assert effective["root"].value == root
    assert effective["root"].source.origin == f"the folder of {root / 'pyproject.toml'}"
    assert effective["flows"].value == root / "my-flows"  # the folder used, absolute
    assert effective["flows"].source.place == f"{root / 'pyproject.toml'}:5"
    assert effective["step_timeout_ms"].value == 900
    assert effective["step_timeout_ms"].source.place == "PORTWRIGHT_STEP_TIMEOUT_MS"
    assert effective["headless"].value is False
    assert effective["headless"].source.level is Precedence.CMDLINE
    assert effective["selectors"].value == root / "selectors"
    assert effective["selectors"].source.origin == "the default"


def test_settings_built_in_python_do_not_claim_a_file_they_did_not_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "portwright.toml").write_text('flows = "from-file"\n')
    monkeypatch.delenv("PORTWRIGHT_FLOWS", raising=False)
    built = Settings(root=tmp_path, headless=False)
    assert built.flows == Path("flows")
    assert built.origin("flows") == "the default"  # was: flows = "from-file" in ...
    assert built.origin("headless") == "given in Python"


def test_a_copy_with_updates_says_the_updated_values_were_given_in_python(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "portwright.toml").write_text("resolution_reuse_s = 5\n")
    monkeypatch.setenv("PORTWRIGHT_STATE", "env-state")
    copy = load_settings(tmp_path).model_copy(update={"resolution_reuse_s": 0.0,
                                                      "state": tmp_path / "other"})
    assert copy.resolution_reuse_s == 0
    assert copy.origin("resolution_reuse_s") == "given in Python"
    assert copy.origin("state") == "given in Python"  # not from PORTWRIGHT_STATE


def test_the_root_found_from_a_sub_folder_resolves_relative_folders(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "portwright.toml").write_text('flows = "my-flows"\nartifacts = "out/art"\n')
    (tmp_path / "my-flows" / "valant").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "my-flows" / "valant")
    settings = load_settings()
    assert settings.root == tmp_path.resolve()
    assert settings.path("flows") == tmp_path.resolve() / "my-flows"
    assert settings.path("artifacts") == tmp_path.resolve() / "out" / "art"
