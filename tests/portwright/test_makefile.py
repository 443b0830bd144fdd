"""`make setup`'s system-package step: installs as root, tells a non-root user what to run."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _fake_bin(tmp_path: Path, uid: str) -> dict[str, str]:
    """A PATH where every system package looks absent and the user has the given uid."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "dpkg-query").write_text("#!/bin/sh\nexit 1\n")
    (bin_dir / "id").write_text(f"#!/bin/sh\necho {uid}\n")
    (bin_dir / "apt-get").write_text(f"#!/bin/sh\necho \"apt-get $*\" >> {tmp_path}/apt.log\n")
    for f in bin_dir.iterdir():
        f.chmod(0o755)
    return {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path)}


def test_non_root_gets_the_exact_install_command(tmp_path: Path) -> None:
    env = _fake_bin(tmp_path, "1000")
    proc = subprocess.run(
        ["make", "--no-print-directory", "system-packages"],
        cwd=ROOT, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL,
    )
    assert proc.returncode != 0
    assert "run: sudo apt-get install -y chromium dovecot-imapd dovecot-lmtpd openssh-server" \
        in proc.stdout
    assert not (tmp_path / "apt.log").exists()


def test_root_installs_only_what_is_missing(tmp_path: Path) -> None:
    env = _fake_bin(tmp_path, "0")
    proc = subprocess.run(
        ["make", "--no-print-directory", "system-packages"],
        cwd=ROOT, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    log = (tmp_path / "apt.log").read_text().splitlines()
    assert log[0] == "apt-get update -qq"
    assert log[1].endswith("chromium dovecot-imapd dovecot-lmtpd openssh-server")


def test_nothing_is_installed_when_everything_is_present() -> None:
    proc = subprocess.run(
        ["make", "--no-print-directory", "system-packages"],
        cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0
    assert "installing" not in proc.stdout
