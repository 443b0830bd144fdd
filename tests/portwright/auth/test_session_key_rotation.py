"""A workspace key replaced under saved sessions (rotated, or the key file restored from
another machine), against the real sandbox portal: the next run signs in once, no error,
no loop; the run after it reuses the new session. Ground truth: the sandbox database."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from portwright.auth.credentials import create_key_file, load_fernet
from portwright.auth.sessions import SessionVault
from portwright_valant.testing import SandboxHandle

from .conftest import EngineFactory

pytestmark = [pytest.mark.browser, pytest.mark.services]


def _logins(handle: SandboxHandle, user: str) -> int:
    return int(handle.scalar(
        "SELECT count(*) FROM auth_events WHERE username = ? AND event = 'login'", user))


async def test_a_replaced_key_means_one_fresh_sign_in_then_reuse(
    auth_portals: dict[str, SandboxHandle], make_engine: EngineFactory, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PORTWRIGHT_SECRET_KEY", raising=False)
    monkeypatch.delenv("PORTWRIGHT_SECRETS_KEY_FILE", raising=False)
    handle = auth_portals["2026.1"]
    state = tmp_path / "state"
    _, auth, _ = make_engine(handle)
    assert (await auth.ensure("valant", "biller")).logged_in
    logins = _logins(handle, "biller")

    key_file = state / "secret.key"
    old_key = key_file.read_bytes()
    key_file.unlink()
    create_key_file(key_file)  # the operator rotated the key
    session_file = SessionVault(state, lambda: load_fernet(state)).path("valant", "biller")

    _, auth2, _ = make_engine(handle)
    outcome = await auth2.ensure("valant", "biller")
    assert outcome.logged_in
    assert _logins(handle, "biller") == logins + 1
    Fernet(key_file.read_bytes().strip()).decrypt(session_file.read_bytes())  # new key
    assert key_file.read_bytes() != old_key

    _, auth3, _ = make_engine(handle)
    assert (await auth3.ensure("valant", "biller")).reused
    assert _logins(handle, "biller") == logins + 1
