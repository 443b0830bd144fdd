"""Fixtures shared across the engine's test folders."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from portwright.browser import SYSTEM_CHROMIUM

#: ``(folder, name) -> (executable, log)``
LoggingBrowser = Callable[[Path, str], tuple[Path, Path]]


@pytest.fixture
def logging_chromium() -> LoggingBrowser:
    """Makes browser executables that note their command line in a log, then run the
    real Chromium: which executable a launch used, and with which switches, is then on
    disk for the test to read."""
    def make(folder: Path, name: str) -> tuple[Path, Path]:
        folder.mkdir(parents=True, exist_ok=True)
        log = folder / f"{name}.log"
        wrapper = folder / name
        wrapper.write_text(f'#!/bin/sh\necho "$@" >> {log}\nexec {SYSTEM_CHROMIUM} "$@"\n')
        wrapper.chmod(0o755)
        return wrapper, log
    return make
