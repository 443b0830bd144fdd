"""Which workspace a test belongs to: the one around the test's own file.

pytest may run from anywhere (``cd /tmp && pytest /path/ws/tests/...``), and its root
folder need not be the workspace (tests in a sub-project of a larger repository): found
from the current folder or from pytest's root instead, the standard suite would check
no workspace at all and pass its checks on nothing, and the ``browser`` fixture would
launch a browser the workspace does not name. Every fixture of the plugin follows this
one rule: from the test file's folder up to the first workspace file
(:func:`portwright.workspace.find_workspace_file`). ``PORTWRIGHT_ROOT`` still names the
workspace explicitly.
"""

from __future__ import annotations

import os
from pathlib import Path

from portwright.exceptions import ConfigError
from portwright.settings import Settings, load_settings
from portwright.workspace import find_workspace_file

__all__ = ["settings_near", "workspace_settings"]


def _folder(near: Path) -> Path:
    return near if near.is_dir() else near.parent


def settings_near(near: Path) -> Settings:
    """The settings of the workspace holding ``near`` (a test module or its folder), or
    the defaults when there is none (a browser needs no workspace)."""
    return load_settings(_folder(near))


def workspace_settings(near: Path) -> Settings:
    """:func:`settings_near`, but ``ConfigError`` when there is no workspace, rather
    than settings for an empty folder (checks over no files would pass)."""
    if "PORTWRIGHT_ROOT" not in os.environ and find_workspace_file(_folder(near)) is None:
        raise ConfigError(
            f"no portwright workspace around {near}: no portwright.toml, nor a "
            "pyproject.toml with [tool.portwright], in its folder or above",
            hint="keep the adapter's tests inside its workspace, or set PORTWRIGHT_ROOT",
        )
    return settings_near(near)
