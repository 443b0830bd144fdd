"""The credential store: env names, the encrypted file, the 0600 key rule, the CLI."""

from __future__ import annotations

import multiprocessing
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from typer.testing import CliRunner

from portwright.auth.credentials import (
    KEY_ENV,
    CredentialStore,
    EncryptedFileSource,
    EnvironmentSource,
    SecretKey,
    create_key_file,
    env_var_name,
    load_fernet,
)
from portwright.cli import app
from portwright.exceptions import CredentialError


def test_env_var_names_follow_the_documented_scheme() -> None:
    assert env_var_name(SecretKey("valant", "password")) == "PORTWRIGHT_SECRET_VALANT_PASSWORD"
    assert (
        env_var_name(SecretKey("valant", "totp_secret", account="clinic-2"))
        == "PORTWRIGHT_SECRET_VALANT_CLINIC_2_TOTP_SECRET"
    )


def test_account_specific_value_wins_over_portal_wide() -> None:
    env = {
        "PORTWRIGHT_SECRET_VALANT_PASSWORD": "shared-pw",
        "PORTWRIGHT_SECRET_VALANT_ADMIN_PASSWORD": "admin-pw",
    }
    store = CredentialStore([EnvironmentSource(env)])
    assert store.resolve("valant", "password") == "shared-pw"
    assert store.with_account("admin").resolve("valant", "password") == "admin-pw"
    assert store.with_account("biller").resolve("valant", "password") == "shared-pw"


def test_missing_secret_names_where_it_looked_without_values() -> None:
    env = {"PORTWRIGHT_SECRET_VALANT_USERNAME": "planted-value-123"}
    store = CredentialStore([EnvironmentSource(env)], account="admin")
    with pytest.raises(CredentialError) as info:
        store.resolve("valant", "password")
    text = str(info.value)
    assert "$PORTWRIGHT_SECRET_VALANT_ADMIN_PASSWORD" in text
    assert "$PORTWRIGHT_SECRET_VALANT_PASSWORD" in text
    assert "portwright secrets set valant password --account admin" in text
    assert "planted-value-123" not in text


def test_invalid_names_are_refused() -> None:
    with pytest.raises(CredentialError, match="invalid secret name"):
        SecretKey("valant", "pass word")
    with pytest.raises(CredentialError, match="invalid secret key"):
        SecretKey.parse("valant")


def test_encrypted_file_round_trip_and_ciphertext_holds_no_value(tmp_path: Path) -> None:
    key = Fernet.generate_key()
    path = tmp_path / "secrets.fernet"
    source = EncryptedFileSource(path, lambda: Fernet(key))
    source.set(SecretKey("valant", "password"), "Hunter2-very-secret")
    source.set(SecretKey("valant", "totp_secret", account="admin"), "JBSWY3DPEHPK3PXP")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    raw = path.read_bytes()
    assert b"Hunter2" not in raw and b"JBSWY3DP" not in raw and b"valant" not in raw
    again = CredentialStore(
        [EnvironmentSource({}), EncryptedFileSource(path, lambda: Fernet(key))], account="admin"
    )
    assert again.resolve("valant", "password") == "Hunter2-very-secret"
    assert again.resolve("valant", "totp_secret") == "JBSWY3DPEHPK3PXP"
    assert again.revealed == {"Hunter2-very-secret", "JBSWY3DPEHPK3PXP"}


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    key = Fernet.generate_key()
    file_source = EncryptedFileSource(tmp_path / "s.fernet", lambda: Fernet(key))
    file_source.set(SecretKey("valant", "password"), "from-file")
    env = EnvironmentSource({"PORTWRIGHT_SECRET_VALANT_PASSWORD": "from-env"})
    assert CredentialStore([env, file_source]).resolve("valant", "password") == "from-env"


def test_wrong_key_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "s.fernet"
    EncryptedFileSource(path, lambda: Fernet(Fernet.generate_key())).set(
        SecretKey("valant", "password"), "x"
    )
    other = EncryptedFileSource(path, lambda: Fernet(Fernet.generate_key()))
    with pytest.raises(CredentialError, match="cannot decrypt secrets file"):
        other.get(SecretKey("valant", "password"))


def test_key_file_readable_by_others_is_refused_with_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    key_file = create_key_file(tmp_path / "secret.key")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    load_fernet(tmp_path)  # 0600: accepted
    os.chmod(key_file, 0o644)
    with pytest.raises(CredentialError) as info:
        load_fernet(tmp_path)
    assert str(key_file) in str(info.value)
    assert f"chmod 600 {key_file}" in str(info.value)


def test_key_from_environment_needs_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = Fernet.generate_key()
    monkeypatch.setenv(KEY_ENV, key.decode())
    token = load_fernet(tmp_path).encrypt(b"x")
    assert Fernet(key).decrypt(token) == b"x"
    assert not (tmp_path / "secret.key").exists()
    monkeypatch.setenv(KEY_ENV, "not-a-key")
    with pytest.raises(CredentialError, match="valid Fernet key"):
        load_fernet(tmp_path)


def test_cli_set_and_list_never_print_the_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORTWRIGHT_ROOT", str(tmp_path))
    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.setenv("PORTWRIGHT_SECRET_VALANT_USERNAME", "env-user-value")
    runner = CliRunner()
    result = runner.invoke(
        app, ["secrets", "set", "valant", "password", "--stdin"], input="Cli-Secret-987\n"
    )
    assert result.exit_code == 0, result.output
    listed = runner.invoke(app, ["secrets", "list", "valant"])
    assert listed.exit_code == 0
    assert "valant.password" in listed.output
    assert "PORTWRIGHT_SECRET_VALANT_USERNAME" in listed.output
    assert "Cli-Secret-987" not in listed.output + result.output
    assert "env-user-value" not in listed.output
    store = CredentialStore.for_workspace(tmp_path / ".portwright" / "state")
    assert store.resolve("valant", "password") == "Cli-Secret-987"


def test_secrets_set_without_a_terminal_says_to_use_stdin_and_stores_nothing(
        tmp_path: Path) -> None:
    """In a script, the hidden prompt would fall back to an echoing one, read nothing and
    end in 'Aborted.'; the command says how to pass the value instead."""
    import subprocess
    import sys

    env = {**os.environ, "PORTWRIGHT_STATE": str(tmp_path / "state")}
    done = subprocess.run([str(Path(sys.executable).parent / "portwright"), "secrets", "set",
                           "valant", "password", "--account", "a"], env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "no terminal to ask for valant.a.password" in done.stderr
    assert "--stdin" in done.stderr and "Warning" not in done.stderr
    assert not (tmp_path / "state").exists() or not any((tmp_path / "state").iterdir())


def _set_many(path: str, key: bytes, worker: int, start: Any, count: int) -> None:
    source = EncryptedFileSource(Path(path), lambda: Fernet(key))
    start.wait()
    for i in range(count):
        source.set(SecretKey("valant", f"s{worker}_{i}"), f"value-{worker}-{i}")


def test_parallel_secrets_set_keeps_every_secret(tmp_path: Path) -> None:
    """Processes storing secrets at the same moment (a setup script running several
    `secrets set` at once): every one is kept, none crashes."""
    key = Fernet.generate_key()
    path = tmp_path / "secrets.fernet"
    ctx = multiprocessing.get_context("fork")  # the worker lives in this test module
    start = ctx.Event()
    workers, count = 6, 8
    procs = [ctx.Process(target=_set_many, args=(str(path), key, w, start, count))
             for w in range(workers)]
    for proc in procs:
        proc.start()
    start.set()  # all released together
    for proc in procs:
        proc.join(120)
    assert [p.exitcode for p in procs] == [0] * workers
    names = EncryptedFileSource(path, lambda: Fernet(key)).names()
    assert names == sorted(f"valant.s{w}_{i}" for w in range(workers) for i in range(count))
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_cli_set_from_crlf_stdin_and_a_capitalised_portal_is_what_flows_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A value piped from a Windows file ends in CRLF, and people write the portal as they
    say it ('Valant'): the flow's {{ secrets.valant.password }} must get the password."""
    monkeypatch.setenv("PORTWRIGHT_ROOT", str(tmp_path))
    monkeypatch.delenv(KEY_ENV, raising=False)
    result = CliRunner().invoke(
        app, ["secrets", "set", "Valant", "password", "--account", "admin", "--stdin"],
        input="Crlf-Secret-42\r\n")
    assert result.exit_code == 0, result.output
    assert "valant.admin.password" in result.output
    store = CredentialStore.for_workspace(tmp_path / ".portwright" / "state")
    assert store.resolve("valant", "password", account="admin") == "Crlf-Secret-42"
