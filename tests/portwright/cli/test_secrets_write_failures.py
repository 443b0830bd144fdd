"""``portwright secrets set`` on a disk that cannot take the write, and values piped in.

The command runs as its own process under a file size limit (``RLIMIT_FSIZE``), so the
kernel fails the write past it (``EFBIG``) as a full disk would. The secrets file is
rewritten through a temporary file: the stored secrets must survive, and the person gets
one error line, not a traceback."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

PORTWRIGHT = Path(sys.executable).parent / "portwright"


def _secrets(args: list[str], state: Path, stdin: str,
             file_size_limit: int | None = None) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        if file_size_limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG, not a killed process
            resource.setrlimit(resource.RLIMIT_FSIZE,
                               (file_size_limit, resource.RLIM_INFINITY))

    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTWRIGHT_")}
    # no bytecode writes: under the limit Python would leave truncated .pyc files behind
    env |= {"PORTWRIGHT_STATE": str(state), "COLUMNS": "200", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([str(PORTWRIGHT), "secrets", *args], input=stdin, env=env,
                          cwd=state.parent, capture_output=True, text=True, timeout=60,
                          preexec_fn=limit, check=False)


def _value(state: Path, name: str) -> str:
    from portwright.auth.credentials import SecretKey, load_fernet
    from portwright.auth.credentials.sources import EncryptedFileSource
    from portwright.auth.credentials.store import default_secrets_file

    source = EncryptedFileSource(default_secrets_file(state), lambda: load_fernet(state))
    return str(source.get(SecretKey(portal="valant", name=name)))


def test_a_full_disk_is_one_error_line_and_the_stored_secrets_survive(
        tmp_path: Path) -> None:
    state = tmp_path / "state"
    stored = _secrets(["set", "valant", "password", "--stdin"], state, "Valant-Dev-2025!\n")
    assert stored.returncode == 0, stored.stderr
    before = (state / "secrets.fernet").read_bytes()

    failed = _secrets(["set", "valant", "totp_secret", "--stdin"], state,
                      "JBSWY3DPEHPK3PXP" * 8 + "\n", file_size_limit=64)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Traceback" not in failed.stderr
    assert failed.stderr.startswith("error: cannot write ")
    assert "the secrets file is unchanged" in failed.stderr
    assert (state / "secrets.fernet").read_bytes() == before
    assert _value(state, "password") == "Valant-Dev-2025!"


def test_stdin_loses_one_line_ending_not_the_value_s_own(tmp_path: Path) -> None:
    """``printf 'pw\\n\\n'``: the value is ``pw\\n`` (the documented rule drops one
    trailing line ending); all of them were dropped."""
    state = tmp_path / "state"
    for name, piped, kept in (("one", "pw-1\r\n", "pw-1"), ("two", "pw-2\n\n", "pw-2\n"),
                              ("bare", "pw-3", "pw-3")):
        done = _secrets(["set", "valant", name, "--stdin"], state, piped)
        assert done.returncode == 0, done.stderr
        assert _value(state, name) == kept
