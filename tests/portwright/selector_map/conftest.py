"""Shared by the selector-map tests: a map written from YAML text and loaded as the
engine loads a portal's folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from portwright.selector_map.loader import ResolvedMap, load_portal_maps


@pytest.fixture(scope="module")
def map_from_yaml(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], ResolvedMap]:
    """``map_from_yaml(text)``: the one map version ``text`` declares, loaded from disk."""

    def load(text: str) -> ResolvedMap:
        head = yaml.safe_load(text)  # the folder and file are named as the loader expects
        folder: Path = tmp_path_factory.mktemp("maps") / str(head["portal"])
        folder.mkdir()
        (folder / f"{head['version']}.yaml").write_text(text)
        return load_portal_maps(folder)[str(head["version"])]

    return load
