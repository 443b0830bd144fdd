"""A wrong setting is one error naming where it is set (file and line, variable or command
line), what is wrong and what was expected; nothing is silently ignored or misread."""

from __future__ import annotations

from pathlib import Path

import pytest

from portwright.exceptions import ConfigError
from portwright.settings import load_settings


def _error(start: Path) -> str:
    with pytest.raises(ConfigError) as err:
        load_settings(start)
    return str(err.value)


def test_an_unknown_key_names_its_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "portwright.toml").write_text('flows = "f"\n\nstep_timout_ms = 5\n')
    text = _error(tmp_path)
    assert text.startswith(f"{tmp_path.resolve() / 'portwright.toml'}:3: unknown key "
                           "'step_timout_ms' in portwright.toml\n")
    assert "did you mean 'step_timeout_ms'?" in text


def test_an_unknown_key_in_pyproject_names_its_line_in_the_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[project]\nname = 'x'\nflwos = 1\n\n[tool.portwright]\nflows = 'f'\nflwos = 'g'\n")
    text = _error(tmp_path)  # line 7, not the [project] key of the same name on line 3
    assert text.startswith(f"{tmp_path.resolve() / 'pyproject.toml'}:7: unknown key 'flwos' "
                           "in [tool.portwright]\n")


@pytest.mark.parametrize(("line", "wrong", "expected"), [
    ("step_timeout_ms = -1", "Input should be greater than 0",
     "expected a whole number greater than 0"),
    ("step_timeout_ms = true", "a boolean is not a number",  # was read as 1 ms
     "expected a whole number greater than 0"),
    ("resolution_reuse_s = false", "a boolean is not a number", "expected a number, 0 or more"),
    ("headless = 'sometimes'", "Input should be a valid boolean", "expected true or false"),
    ("artifact_privacy = 'blurred'", "", "expected one of masked, full"),
    ("flows = 5", "", "expected a folder path (text)"),
])
def test_a_bad_value_names_file_line_value_and_what_was_expected(
        tmp_path: Path, line: str, wrong: str, expected: str) -> None:
    (tmp_path / "portwright.toml").write_text(f"# workspace\n{line}\n")
    text = _error(tmp_path)
    key, value = (part.strip() for part in line.split("=", 1))
    shown = value.replace("'", '"')
    assert text.startswith(f"{tmp_path.resolve() / 'portwright.toml'}:2: invalid setting "
                           f"{key} = {shown}: {wrong}"), text
    assert expected in text


def test_a_hyphenated_key_is_named_as_written_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "portwright.toml").write_text("step-timeout-ms = -3\n")
    assert _error(tmp_path).startswith(f"{tmp_path.resolve() / 'portwright.toml'}:1: invalid "
                                       "setting step-timeout-ms = -3: ")


def test_a_setting_written_twice_as_hyphens_and_underscores_is_refused(tmp_path: Path) -> None:
    (tmp_path / "portwright.toml").write_text("step-timeout-ms = 30\nstep_timeout_ms = 40\n")
    file = tmp_path.resolve() / "portwright.toml"
    assert _error(tmp_path).startswith(f"{file}:2: 'step_timeout_ms' sets 'step_timeout_ms' "
                                       f"again (as 'step-timeout-ms' at {file}:1)")


def test_a_bad_variable_is_blamed_on_the_variable_not_the_workspace_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "portwright.toml").write_text('flows = "f"\n')
    monkeypatch.setenv("PORTWRIGHT_STEP_TIMEOUT_MS", "-5")
    assert _error(tmp_path).startswith('invalid setting step_timeout_ms (from '
                                       'PORTWRIGHT_STEP_TIMEOUT_MS) = "-5": Input should be '
                                       "greater than 0; expected a whole number greater than 0")


def test_a_misspelled_argument_names_the_setting_meant(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_settings(tmp_path, flwos=Path("x"))
    assert str(err.value).startswith("invalid setting flwos (from the command line) = ")
    assert "no such setting (did you mean 'flows'?)" in str(err.value)


@pytest.mark.parametrize(("variable", "meant"), [("portwright_flows", "PORTWRIGHT_FLOWS"),
                                                 ("Portwright_Flwos", "PORTWRIGHT_FLOWS")])
def test_a_variable_not_in_upper_case_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, meant: str) -> None:
    # the settings used to read `portwright_flows` (and say the value was the default),
    # and to ignore `portwright_flwos` without a word
    monkeypatch.setenv(variable, "elsewhere")
    assert _error(tmp_path).startswith(f"environment variable {variable} is not in upper "
                                       f"case\n  hint: did you mean {meant}?")


def test_a_portwright_root_that_does_not_exist_is_an_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTWRIGHT_ROOT", str(tmp_path / "nope"))
    assert _error(tmp_path).startswith(f"the workspace root {tmp_path.resolve() / 'nope'} "
                                       "(from PORTWRIGHT_ROOT) does not exist")


def test_a_broken_file_at_portwright_root_is_not_skipped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "portwright.toml").write_text('flows = "unterminated\n')
    monkeypatch.setenv("PORTWRIGHT_ROOT", str(tmp_path / "ws"))
    assert _error(tmp_path).startswith(f"{tmp_path.resolve() / 'ws' / 'portwright.toml'}: "
                                       "not valid TOML")


def test_portwright_root_with_a_home_folder_or_relative_path_is_made_absolute(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "home" / "ws").mkdir(parents=True)
    (tmp_path / "home" / "ws" / "portwright.toml").write_text('flows = "my-flows"\n')
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PORTWRIGHT_ROOT", "~/ws")
    workspace = (tmp_path / "home" / "ws").resolve()
    assert load_settings(tmp_path).path("flows") == workspace / "my-flows"  # not ./~/ws/...
    monkeypatch.chdir(tmp_path / "home")
    monkeypatch.setenv("PORTWRIGHT_ROOT", "ws")
    settings = load_settings()
    monkeypatch.chdir(tmp_path)  # a later change of folder moves nothing
    assert settings.path("flows") == workspace / "my-flows"


def test_a_folder_under_the_home_folder_is_not_a_folder_named_tilde(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "portwright.toml").write_text('artifacts = "~/pw-artifacts"\n')
    assert load_settings(tmp_path / "ws").path("artifacts") == tmp_path / "home" / "pw-artifacts"
