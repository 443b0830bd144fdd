"""``portwright validate`` follows the engine's map-branch rule: on the repo workspace it
is silent (names inside ``if`` + ``map_offers`` branches are required only of versions that
take them), and a genuinely missing name still fails with file, line and version."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PORTWRIGHT = str(Path(sys.executable).parent / "portwright")


def validate(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PORTWRIGHT, "validate"], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_the_repo_workspace_validates_without_warnings() -> None:
    result = validate(ROOT)
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr, result.stderr
    assert result.stdout.startswith("ok: ")


def test_a_missing_name_fails_even_beside_version_branches(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "flows", tmp_path / "flows")
    shutil.copytree(ROOT / "selectors", tmp_path / "selectors")
    (tmp_path / "portwright.toml").write_text('flows = "flows"\nselectors = "selectors"\n')
    flow = tmp_path / "flows" / "valant" / "patients.list.yaml"
    text = flow.read_text()
    # unguarded: every version reaches it; guarded: only 2026.1 takes the load-more branch
    broken = (text.replace("target: patients.list_ready", "target: patients.list_redy")
              .replace("load_more: patients.load_more", "load_more: patients.lod_more"))
    assert broken.count("patients.list_redy") == 1 and broken.count("patients.lod_more") == 1
    flow.write_text(broken)

    result = validate(tmp_path)

    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if "patients.list.yaml:" in line]
    unguarded = [e for e in errors if "'patients.list_redy'" in e]
    guarded = [e for e in errors if "'patients.lod_more'" in e]
    assert len(unguarded) == 1 and "2025.4, 2026.1" in unguarded[0], result.stderr
    assert len(guarded) == 1 and "valant 2026.1 (field" in guarded[0], result.stderr
    # errors point at where the step writes the name (its value), naming that field
    step = broken.index("action: wait_for\n        id: list-rendered")
    name = broken.index("patients.list_redy", step)
    line = 1 + broken[:name].count("\n")
    column = name - broken.rindex("\n", 0, name)
    assert f"patients.list.yaml:{line}:{column}: " in unguarded[0], unguarded[0]
    assert "(field 'steps[3].else[1].target')" in unguarded[0], unguarded[0]
