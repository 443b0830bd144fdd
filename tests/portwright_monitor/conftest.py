"""Fixtures of the monitor's tests: a throwaway Valant workspace to run the canary in.

The sandbox tests check the repository's own flows, maps and committed recordings, so
each builds the same workspace: a private copy of the selector maps (a test may drift
one), copies of the recordings it needs as baselines, the repository's flows, its own
state folder, and the dev account's secrets. Made here once, so a test says only which
recordings and account it needs.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from portwright_valant.testing import DEV_ACCOUNT

ROOT = Path(__file__).resolve().parents[2]
PORTAL = "valant"

#: ``(flows=(), ui_versions=("2025.4",), account=DEV_ACCOUNT, settings="") -> workspace``
ValantWorkspace = Callable[..., Path]
#: ``(workspace, flow, ui_version="2025.4") -> the inputs its recording was made with``
RecordedInputs = Callable[..., dict[str, Any]]


def _recording_folder(flow: str) -> str:
    """``valant.patients.get`` is recorded under ``recordings/valant/patients.get``."""
    portal, _, name = flow.partition(".")
    assert portal == PORTAL and name, f"{flow!r} is no flow of portal {PORTAL!r}"
    return name


@pytest.fixture
def valant_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ValantWorkspace:
    """Make the workspace ``tmp_path/ws`` and move into it (state in ``tmp_path/state``).

    ``flows``: whose committed recordings of each of ``ui_versions`` are copied in (the
    canary's baselines); ``account``: the (username, password) set as the portal's
    secrets, or None to set none; ``settings``: lines added to ``portwright.toml``, whose
    ``flows`` is always the repository's.
    """
    def make(flows: Sequence[str] = (), ui_versions: Sequence[str] = ("2025.4",),
             account: tuple[str, str] | None = DEV_ACCOUNT, settings: str = "") -> Path:
        ws = tmp_path / "ws"
        shutil.copytree(ROOT / "selectors" / PORTAL, ws / "selectors" / PORTAL)
        for flow in flows:
            for version in ui_versions:
                folder = Path("recordings") / PORTAL / _recording_folder(flow) / version
                shutil.copytree(ROOT / folder, ws / folder)
        (ws / "portwright.toml").write_text(f'flows = "{ROOT / "flows"}"\n{settings}')
        monkeypatch.chdir(ws)
        monkeypatch.setenv("PORTWRIGHT_STATE", str(tmp_path / "state"))
        if account is not None:
            monkeypatch.setenv("PORTWRIGHT_SECRET_VALANT_USERNAME", account[0])
            monkeypatch.setenv("PORTWRIGHT_SECRET_VALANT_PASSWORD", account[1])
        return ws
    return make


@pytest.fixture
def recorded_inputs() -> RecordedInputs:
    """The inputs a flow's one recording of a UI version in a workspace was made with
    (the canary must be given them to find that recording as its baseline)."""
    def read(ws: Path, flow: str, ui_version: str = "2025.4") -> dict[str, Any]:
        folder = ws / "recordings" / PORTAL / _recording_folder(flow) / ui_version
        [meta] = folder.glob("*/meta.json")
        inputs: dict[str, Any] = json.loads(meta.read_text())["inputs"]
        return inputs
    return read
