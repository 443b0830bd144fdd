"""Encounters from the portal's audit export packet (a zip with ``manifest.json``).

The encounter screens print the clinician's name, not their id; the export packet an
auditor downloads carries the ids (the appointment's among them), codes and every note
and plan version. So the flow downloads the packet and this normalizer reads its manifest.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from portwright.entities import Encounter
from portwright_valant.normalizers.clinical import normalize_encounter

__all__ = ["normalize_encounter_packet", "read_manifest"]


def read_manifest(path: Path | str) -> dict[str, Any]:
    """The packet's ``manifest.json`` (encounter fields and the list of files)."""
    with zipfile.ZipFile(path) as archive:
        manifest: dict[str, Any] = json.loads(archive.read("manifest.json"))
    return manifest


def normalize_encounter_packet(raw: Mapping[str, Any]) -> Encounter:
    """An Encounter from a downloaded packet (``path``) or a raw encounter record."""
    path = raw.get("path")
    if path is None:
        return normalize_encounter(raw)
    manifest = read_manifest(str(path))
    return normalize_encounter({**manifest, **{k: v for k, v in raw.items() if k != "path"}})
