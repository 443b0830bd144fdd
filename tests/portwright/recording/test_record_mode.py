"""Record modes are a strict enum: a typo fails loudly and names the valid modes."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from portwright.cli.app import app
from portwright.exceptions import RecordModeError
from portwright.recording.record_mode import RecordMode, validate_record_mode


@pytest.mark.parametrize("text,mode", [("none", RecordMode.NONE), ("once", RecordMode.ONCE),
                                       ("new_episodes", RecordMode.NEW_EPISODES),
                                       ("new-episodes", RecordMode.NEW_EPISODES),
                                       ("all", RecordMode.ALL), ("rewrite", RecordMode.ALL),
                                       ("ONCE", RecordMode.ONCE)])
def test_valid_modes_and_alias(text: str, mode: RecordMode) -> None:
    assert validate_record_mode(text) is mode


def test_typo_raises_naming_every_valid_mode() -> None:
    with pytest.raises(RecordModeError) as err:
        validate_record_mode("onse")
    text = str(err.value)
    assert "'onse'" in text
    for name in ("none", "once", "new_episodes", "all", "rewrite"):
        assert name in text
    assert isinstance(err.value, ValueError)


def test_which_modes_record() -> None:
    assert not RecordMode.NONE.should_record(exists=False)
    assert RecordMode.ONCE.should_record(exists=False)
    assert not RecordMode.ONCE.should_record(exists=True)
    assert RecordMode.NEW_EPISODES.should_record(exists=False)
    assert not RecordMode.NEW_EPISODES.should_record(exists=True)  # current: kept
    assert RecordMode.NEW_EPISODES.should_record(exists=True, stale=True)
    assert not RecordMode.ONCE.should_record(exists=True, stale=True)
    assert RecordMode.ALL.should_record(exists=True)


def test_cli_rejects_a_misspelled_mode_before_touching_the_portal() -> None:
    result = CliRunner().invoke(app, ["record", "valant.patients.list", "--portal-url",
                                      "http://127.0.0.1:9", "--record-mode", "rewite"],
                                env={"COLUMNS": "250"})
    assert result.exit_code == 2  # a usage error, as for any other bad option
    assert "unknown record mode 'rewite'" in result.output
