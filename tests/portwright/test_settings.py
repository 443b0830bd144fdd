"""Settings precedence: defaults < workspace file < environment < command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from portwright.exceptions import ConfigError
from portwright.settings import load_settings


def _workspace(tmp_path: Path, body: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(f"[project]\nname='x'\n[tool.portwright]\n{body}\n")
    sub = tmp_path / "deep" / "er"
    sub.mkdir(parents=True)
    return sub


def test_defaults_apply_without_workspace_values(tmp_path: Path) -> None:
    start = _workspace(tmp_path, "")
    s = load_settings(start)
    assert s.root == tmp_path.resolve()
    assert s.path("flows") == tmp_path.resolve() / "flows"


def test_workspace_file_overrides_defaults_and_is_found_from_subfolders(tmp_path: Path) -> None:
    start = _workspace(tmp_path, 'flows = "my-flows"\nstep_timeout_ms = 500')
    s = load_settings(start)
    assert s.path("flows") == tmp_path.resolve() / "my-flows"
    assert s.step_timeout_ms == 500


def test_environment_overrides_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    start = _workspace(tmp_path, 'flows = "my-flows"')
    monkeypatch.setenv("PORTWRIGHT_FLOWS", "env-flows")
    assert load_settings(start).path("flows") == tmp_path.resolve() / "env-flows"


def test_a_bad_command_line_value_is_named_as_such(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_settings(_workspace(tmp_path, ""), step_timeout_ms=-5)
    assert str(err.value).startswith("invalid setting step_timeout_ms (from the command line) "
                                     "= -5: Input should be greater than 0")


def test_cmdline_overrides_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    start = _workspace(tmp_path, 'flows = "my-flows"')
    monkeypatch.setenv("PORTWRIGHT_FLOWS", "env-flows")
    s = load_settings(start, flows=Path("cli-flows"), selectors=None)
    assert s.path("flows") == tmp_path.resolve() / "cli-flows"
    assert s.path("selectors") == tmp_path.resolve() / "selectors"


def test_misspelled_key_is_a_clear_error(tmp_path: Path) -> None:
    start = _workspace(tmp_path, 'flwos = "x"')
    with pytest.raises(ConfigError) as err:
        load_settings(start)
    text = str(err.value)
    assert "pyproject.toml" in text
    assert "flwos" in text
    assert "did you mean 'flows'" in text


def test_wrong_type_is_a_clear_error(tmp_path: Path) -> None:
    start = _workspace(tmp_path, 'step_timeout_ms = "soon"')
    with pytest.raises(ConfigError) as err:
        load_settings(start)
    # file and line, what is wrong, what was expected
    assert str(err.value).startswith(
        f'{tmp_path.resolve() / "pyproject.toml"}:4: invalid setting step_timeout_ms = "soon": '
        "Input should be a valid integer")
    assert "expected a whole number greater than 0" in str(err.value)


def test_portwright_toml_next_to_a_pyproject_table_is_an_error(tmp_path: Path) -> None:
    # one of the two would be ignored without a word: portwright.toml used to win
    _workspace(tmp_path, 'flows = "from-pyproject"')
    (tmp_path / "portwright.toml").write_text('flows = "from-portwright-toml"\n')
    with pytest.raises(ConfigError) as err:
        load_settings(tmp_path / "deep" / "er")
    assert str(err.value).startswith(f"{tmp_path.resolve()}: two workspace files, "
                                     "portwright.toml and [tool.portwright] in pyproject.toml")
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n")  # no table: fine
    assert load_settings(tmp_path).path("flows") == tmp_path.resolve() / "from-portwright-toml"


def test_repository_workspace_names_its_folders() -> None:
    root = Path(__file__).resolve().parents[2]
    s = load_settings(root)
    for folder in ("flows", "selectors", "recordings", "adapters"):
        assert s.path(folder).is_dir(), folder


def test_a_misspelled_record_mode_fails_when_settings_load(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from portwright.recording.record_mode import RecordMode

    start = _workspace(tmp_path, 'record_mode = "rewrite"')
    assert load_settings(start).record_mode is RecordMode.ALL  # the alias
    monkeypatch.setenv("PORTWRIGHT_RECORD_MODE", "onse")
    with pytest.raises(ConfigError) as err:
        load_settings(start)
    text = str(err.value)
    assert text.startswith('invalid setting record_mode (from PORTWRIGHT_RECORD_MODE) = "onse": '
                           "unknown record mode 'onse'")
    assert "unknown record mode 'onse'" in text
    assert "none, once, new_episodes, all" in text


def test_root_is_not_a_key_of_the_workspace_file(tmp_path: Path) -> None:
    # the root is where the file is: a 'root' key was listed as known, then ignored
    (tmp_path / "portwright.toml").write_text('root = "sub"\n')
    with pytest.raises(ConfigError) as err:
        load_settings(tmp_path)
    assert str(err.value).startswith(f"{tmp_path.resolve() / 'portwright.toml'}:1: 'root' "
                                     "cannot be set in the workspace file")


def test_the_workspace_file_is_the_one_at_portwright_root(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here, there = tmp_path / "a", tmp_path / "b"
    for root, flows in ((here, "a-flows"), (there, "b-flows")):
        root.mkdir()
        (root / "portwright.toml").write_text(f'flows = "{flows}"\nstep_timeout_ms = 5\n')
    (there / "portwright.toml").write_text('flows = "b-flows"\nstep_timeout_ms = -1\n')
    monkeypatch.chdir(here)
    monkeypatch.setenv("PORTWRIGHT_ROOT", str(there))
    with pytest.raises(ConfigError) as err:  # b's bad value, named in b's file
        load_settings()
    assert str(err.value).startswith(f"{there / 'portwright.toml'}:2: invalid setting "
                                     "step_timeout_ms = -1")
    (there / "portwright.toml").write_text('flows = "b-flows"\n')
    settings = load_settings()
    assert settings.path("flows") == there / "b-flows"
    assert settings.step_timeout_ms == 15_000  # the default: a's file is not read
    assert settings.origin("flows") == f'flows = "b-flows" in {there / "portwright.toml"}'


@pytest.mark.parametrize(("variable", "meant"), [("PORTWRIGHT_FLWOS", "PORTWRIGHT_FLOWS"),
                                                 ("PORTWRIGHT_RECORDMODE",
                                                  "PORTWRIGHT_RECORD_MODE")])
def test_a_misspelled_variable_is_an_error_naming_the_one_meant(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, meant: str) -> None:
    monkeypatch.setenv(variable, "x")
    with pytest.raises(ConfigError) as err:
        load_settings(_workspace(tmp_path, ""))
    assert str(err.value).startswith(f"unknown environment variable {variable}\n"
                                     f"  hint: did you mean {meant}?")


def test_variables_portwright_reads_elsewhere_are_known(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("PORTWRIGHT_SECRET_TOY_PASSWORD", "PORTWRIGHT_SECRET_KEY",
                     "PORTWRIGHT_SECRETS_FILE", "PORTWRIGHT_SECRETS_KEY_FILE",
                     "PORTWRIGHT_PSEUDONYM_KEY", "PORTWRIGHT_SANDBOX_TODAY",
                     "PORTWRIGHT_RESOLUTION_REUSE_S"):
        monkeypatch.setenv(variable, "1")
    assert load_settings(_workspace(tmp_path, "")).resolution_reuse_s == 1
