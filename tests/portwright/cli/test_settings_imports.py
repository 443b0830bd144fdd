"""``load_settings()`` loads the settings, not the recording stack or the entity models.

Every command and script that reads the workspace's settings pays for what
``portwright.settings`` imports. It imports ``portwright.recording.record_mode`` (the
``record_mode`` setting), which runs the recording package's ``__init__`` first; that
used to import ``portwright.recording.layout`` and through it every entity model, half of
``load_settings``'s cost (``bench/settings_import.py`` prints the figure). The check runs
in a fresh interpreter, since this one has long since imported everything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

#: modules a settings read has no use for (module or package prefixes)
NOT_NEEDED = ("playwright", "portwright.entities", "portwright.recording.layout",
              "portwright.recording.scrub", "portwright.recording.recorder",
              "portwright.recording.replayer")

PROBE = """
import json, sys
import portwright
settings = portwright.load_settings()
assert settings.record_mode.value == "none", settings.record_mode
print(json.dumps(sorted(sys.modules)))
"""


def test_load_settings_imports_neither_the_recording_stack_nor_the_entities(
        tmp_path: Path) -> None:
    (tmp_path / "portwright.toml").write_text('record_mode = "none"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTWRIGHT_")}
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         check=True, cwd=tmp_path, env=env)
    loaded = json.loads(out.stdout)
    needless = sorted(name for name in loaded
                      if any(name == prefix or name.startswith(f"{prefix}.")
                             for prefix in NOT_NEEDED))
    assert needless == []


def test_the_recording_package_still_exports_its_names() -> None:
    """Loaded lazily now, each name is the one its home module defines."""
    import portwright.recording as recording
    from portwright.recording import layout, record_mode

    assert sorted(recording.__all__) == sorted(
        ["RecordMode", "RecordingMeta", "RecordingPaths", "validate_record_mode"])
    assert recording.RecordMode is record_mode.RecordMode
    assert recording.validate_record_mode is record_mode.validate_record_mode
    assert recording.RecordingMeta is layout.RecordingMeta
    assert recording.RecordingPaths is layout.RecordingPaths
    assert set(recording.__all__) <= set(dir(recording))
