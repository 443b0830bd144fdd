"""Which workspace a test module checks: the one around the module's own file.

pytest may run from anywhere (``cd /tmp && pytest /path/ws/tests/...``): found from the
current folder instead, the standard suite would check no workspace at all and pass
its checks on nothing. ``PORTWRIGHT_ROOT`` still names the workspace explicitly.
"""

from __future__ import annotations

import os
from pathlib import Path

from portwright.exceptions import ConfigError
from portwright.settings import Settings, load_settings
from portwright.workspace import find_workspace_file

__all__ = ["workspace_settings"]


def workspace_settings(near: Path) -> Settings:
    """The settings of the workspace holding ``near`` (a test module or its folder);
    ``ConfigError`` when there is none, rather than settings for an empty folder."""
    folder = near if near.is_dir() else near.parent
    if "PORTWRIGHT_ROOT" not in os.environ and find_workspace_file(folder) is None:
        raise ConfigError(
            f"no portwright workspace around {near}: no portwright.toml, nor a "
            "pyproject.toml with [tool.portwright], in its folder or above",
            hint="keep the adapter's tests inside its workspace, or set PORTWRIGHT_ROOT",
        )
    return load_settings(folder)
