"""The Rich consoles the CLI prints through, built at the moment of printing.

A console made at import time keeps the terminal width (``COLUMNS``) and the stream of
that moment; a CLI app invoked in-process more than once (by tests, or by a program that
embeds it) would then print at whatever width its first importer had. Building one per
command costs microseconds and always follows the current environment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["stderr_console", "stdout_console"]


def stdout_console() -> Console:
    """Plain output: no syntax highlighting, long lines left to the terminal to wrap."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def stderr_console() -> Console:
    """Errors and warnings, on standard error."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)
