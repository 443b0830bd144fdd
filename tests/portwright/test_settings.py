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
    with pytest.raises(ConfigError, match=r"step_timeout_ms \(from the command line\)"):
        load_settings(_workspace(tmp_path, ""), step_timeout_ms=-5)


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
    with pytest.raises(ConfigError, match=r"step_timeout_ms \(from pyproject.toml\)"):
        load_settings(start)


def test_portwright_toml_wins_over_pyproject(tmp_path: Path) -> None:
    _workspace(tmp_path, 'flows = "from-pyproject"')
    (tmp_path / "portwright.toml").write_text('flows = "from-portwright-toml"\n')
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
    assert "record_mode (from PORTWRIGHT_RECORD_MODE): " in text  # not the workspace's
    assert "unknown record mode 'onse'" in text
    assert "none, once, new_episodes, all" in text
