"""``portwright run --format jsonl|table`` never makes a result look empty when it is not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from portwright.cli.app import app


@pytest.mark.browser
@pytest.mark.parametrize("fmt", ["table", "jsonl"])
def test_outputs_that_are_not_entities_are_named_on_stderr(
        ws: Path, toy_site: Any, fmt: str) -> None:
    result = CliRunner().invoke(app, ["run", "toy.names", "--portal-url", toy_site.url,
                                      "--input", "limit=1", "--format", fmt],
                                env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # a pipe reading entities gets none: there are none
    assert "not shown as " + fmt in result.stderr and "names" in result.stderr
    assert "--format json prints every output" in result.stderr
