"""The session and secret stores as a demanding operator meets them: session files that
are damaged, cut short, encrypted with a replaced key or written in another format;
expired sessions; a full disk while a healthy session's check is recorded; folders made
on a fresh machine; a secrets file edited by hand; values with newlines, quotes and
unicode; readers and writers in separate processes at once.

Failures are real ones (a file-size limit makes a write fail with EFBIG, as a full disk
would; writers and readers are real processes). The login and health check handed to
``SessionManager`` are plain callables over a stand-in context: the manager knows no
portal (its module docstring), and what is asserted is what it does with the files.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import signal
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from cryptography.fernet import Fernet

from portwright.auth.credentials import EncryptedFileSource, load_fernet
from portwright.auth.credentials.naming import SecretKey
from portwright.auth.sessions import AccountLocks, SavedSession, SessionVault, StorageSnapshot
from portwright.auth.sessions.manager import LoginTarget, SessionManager
from portwright.exceptions import CredentialError

KEY = Fernet.generate_key()


def _fernet() -> Fernet:
    return Fernet(KEY)


def _session(value: str, saved_at: float, *, expires: float = -1,
             account: str = "admin") -> SavedSession:
    cookie = {"name": "sid", "value": value, "domain": "portal.test", "path": "/",
              "expires": expires, "httpOnly": True, "secure": False, "sameSite": "Lax"}
    return SavedSession("valant", account, StorageSnapshot(
        storage_state={"cookies": [cookie], "origins": []}), saved_at=saved_at)


class _Context:
    """What ``SessionManager`` touches of a browser context: its cookies."""

    def __init__(self) -> None:
        self.cookies: list[dict[str, Any]] = []
        self.pages: list[object] = []

    async def clear_cookies(self) -> None:
        self.cookies = []

    async def add_cookies(self, cookies: list[dict[str, Any]]) -> None:
        self.cookies.extend(cookies)

    async def add_init_script(self, script: str) -> None:
        pass

    async def storage_state(self) -> dict[str, Any]:
        return {"cookies": list(self.cookies), "origins": []}


class _Portal:
    """A portal that knows one live session id and hands out a new one per sign-in."""

    def __init__(self, context: _Context) -> None:
        self.context = context
        self.logins = 0
        self.live: str | None = None

    async def login(self) -> None:
        self.logins += 1
        self.live = f"sid-{self.logins}"
        self.context.cookies = [{"name": "sid", "value": self.live, "domain": "portal.test",
                                 "path": "/", "expires": -1}]

    async def healthy(self) -> bool:
        return any(c["value"] == self.live for c in self.context.cookies)

    def target(self) -> LoginTarget:
        return LoginTarget(context=cast(Any, self.context), portal="valant", account="admin",
                           login=self.login, health=self.healthy)


def _damaged_files(vault: SessionVault) -> Iterator[tuple[str, bytes]]:
    """What a session file may hold after a crash, a key change or an upgrade."""
    vault.save(_session("good", saved_at=1.0))
    good = vault.path("valant", "admin").read_bytes()
    yield "cut short", good[: len(good) // 2]
    yield "empty", b""
    yield "another key", Fernet(Fernet.generate_key()).encrypt(
        json.dumps(_session("x", 1.0).to_json()).encode())
    older = {"portal": "valant", "account": "admin", "cookies": []}  # no version, no snapshot
    yield "older format", _fernet().encrypt(json.dumps(older).encode())
    newer = {**_session("x", 1.0).to_json(), "version": 2}
    yield "newer format", _fernet().encrypt(json.dumps(newer).encode())
    yield "not a session", _fernet().encrypt(b"[1, 2, 3]")
    yield "not json", _fernet().encrypt(b"{\"version\": 1,")


DAMAGE = ["cut short", "empty", "another key", "older format", "newer format",
          "not a session", "not json"]


@pytest.mark.parametrize("damage", DAMAGE)
def test_an_unusable_session_file_is_a_clear_error_naming_the_file(
        tmp_path: Path, damage: str) -> None:
    """``sessions check`` and ``sessions list`` read files directly: the answer must be a
    ``CredentialError`` naming the file and the way out, never a KeyError or JSON
    traceback, and the file is left for the operator (a restored key reads it again)."""
    vault = SessionVault(tmp_path, _fernet)
    content = dict(_damaged_files(vault))[damage]
    path = vault.path("valant", "admin")
    path.write_bytes(content)
    with pytest.raises(CredentialError) as caught:
        vault.load("valant", "admin")
    assert str(path) in str(caught.value)
    assert "sessions drop valant --account admin" in (caught.value.hint or "")
    with pytest.raises(CredentialError):
        vault.all()
    assert path.read_bytes() == content


@pytest.mark.parametrize("damage", DAMAGE)
async def test_a_run_signs_in_afresh_over_an_unusable_session_file_once(
        tmp_path: Path, damage: str) -> None:
    """A run must not fail (nor loop) because its cached session is unreadable: it signs
    in once, the new session replaces the file, and the next run reuses it."""
    vault = SessionVault(tmp_path, _fernet)
    vault.path("valant", "admin").parent.mkdir(parents=True, exist_ok=True)
    vault.path("valant", "admin").write_bytes(dict(_damaged_files(vault))[damage])
    manager = SessionManager(tmp_path, fernet_factory=_fernet)
    portal = _Portal(_Context())

    installed = manager.load("valant", "admin")
    assert installed is None
    first = await manager.ensure(portal.target(), installed=installed)
    assert first.logged_in and portal.logins == 1

    later = _Portal(_Context())
    later.live, later.logins = portal.live, portal.logins  # the same portal, a new process
    again = SessionManager(tmp_path, fernet_factory=_fernet)
    saved = again.load("valant", "admin")
    assert saved is not None
    await later.context.add_cookies(saved.snapshot.storage_state["cookies"])
    second = await again.ensure(later.target(), installed=saved)
    assert second.reused and later.logins == 1


def test_an_expired_session_is_pruned_and_a_live_one_kept(tmp_path: Path) -> None:
    """A session whose every cookie has expired can sign no one in: it is deleted rather
    than installed and health-checked on every run. Session cookies never expire here."""
    now = 1_800_000_000.0
    manager = SessionManager(tmp_path, fernet_factory=_fernet, now=lambda: now)
    manager.vault.save(_session("old", saved_at=now - 7200, expires=now - 60))
    manager.vault.save(_session("live", saved_at=now - 7200, expires=now + 3600,
                                account="biller"))
    manager.vault.save(_session("browser", saved_at=now - 7200, account="ops"))

    assert manager.load("valant", "admin") is None
    assert not manager.vault.path("valant", "admin").exists()
    kept = manager.load("valant", "biller")
    assert kept is not None and kept.snapshot.storage_state["cookies"][0]["value"] == "live"
    assert manager.load("valant", "ops") is not None


def _mark_checked_on_a_full_disk(state: str) -> None:
    """In a forked process with a 16-byte file-size limit (EFBIG, as a full disk):
    exit 0 when recording the check neither raised nor damaged the file."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    vault = SessionVault(Path(state), _fernet)
    loaded = vault.load("valant", "admin")
    assert loaded is not None
    resource.setrlimit(resource.RLIMIT_FSIZE, (16, 16))
    try:
        wrote = vault.mark_checked(loaded, 5.0)
    except OSError:
        sys.exit(4)
    sys.exit(0 if wrote is False else 3)


def test_recording_a_health_check_on_a_full_disk_does_not_fail_the_healthy_session(
        tmp_path: Path) -> None:
    """Recording "checked healthy" is bookkeeping: on a full disk (or a read-only state
    folder) a run whose session is healthy goes on, and the saved session survives."""
    vault = SessionVault(tmp_path, _fernet)
    vault.save(_session("old", saved_at=1.0))
    proc = multiprocessing.get_context("fork").Process(
        target=_mark_checked_on_a_full_disk, args=(str(tmp_path),))
    proc.start()
    proc.join(60)
    assert proc.exitcode == 0, f"recording the check failed the run (exit {proc.exitcode})"
    kept = vault.load("valant", "admin")
    assert kept is not None and kept.snapshot.storage_state["cookies"][0]["value"] == "old"
    assert kept.checked_at is None


@pytest.fixture
def usual_umask() -> Iterator[None]:
    previous = os.umask(0o022)  # what most shells give: new folders 0755 unless asked
    yield
    os.umask(previous)


def test_a_fresh_state_folder_made_for_the_key_is_the_owners_only(
        tmp_path: Path, usual_umask: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PORTWRIGHT_SECRET_KEY", raising=False)
    monkeypatch.delenv("PORTWRIGHT_SECRETS_KEY_FILE", raising=False)
    state = tmp_path / "state"
    load_fernet(state, create=True)
    assert stat.S_IMODE(state.stat().st_mode) == 0o700
    assert stat.S_IMODE((state / "secret.key").stat().st_mode) == 0o600


async def test_a_fresh_state_folder_made_for_a_lock_is_the_owners_only(
        tmp_path: Path, usual_umask: None) -> None:
    state = tmp_path / "state"
    async with AccountLocks(state).hold("valant", "admin"):
        pass
    for folder in (state, state / "locks", state / "locks" / "valant"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def _write_plain_secrets(path: Path, text: str) -> None:
    """What an operator does who decrypts the file, edits it and encrypts it again."""
    path.write_bytes(_fernet().encrypt(text.encode()))


def test_a_hand_edited_secrets_file_with_a_syntax_error_says_where(tmp_path: Path) -> None:
    path = tmp_path / "secrets.fernet"
    _write_plain_secrets(path, '{"version": 1, "secrets": {\n'
                               '  "valant.password": "Planted-Secret-1"\n'
                               '  "valant.admin.username": "admin"\n}}')
    source = EncryptedFileSource(path, _fernet)
    with pytest.raises(CredentialError) as caught:
        source.get(SecretKey("valant", "password"))
    message = str(caught.value)
    assert str(path) in message
    assert "line 3, column 3" in message and "delimiter" in message
    assert "Planted-Secret-1" not in message
    # and `secrets set` refuses to write over it rather than dropping what it holds
    before = path.read_bytes()
    with pytest.raises(CredentialError):
        source.set(SecretKey("valant", "password"), "new")
    assert path.read_bytes() == before


@pytest.mark.parametrize(("layout", "expected"), [
    ('{"version": 1, "secrets": {"valant.password": null}}', "'valant.password' is a null"),
    ('{"version": 1, "secrets": {"valant.imap_port": 993}}', "'valant.imap_port' is a number"),
    ('{"version": 1, "secrets": ["valant.password"]}', '"secrets" is a list'),
    ('["valant.password"]', "the document is a list"),
    ('{"version": 7, "secrets": {}}', "format version 7"),
])
def test_a_hand_edited_secrets_file_with_a_wrong_layout_is_named_not_guessed(
        tmp_path: Path, layout: str, expected: str) -> None:
    """A null password used to become the text "None" and be typed into the portal."""
    path = tmp_path / "secrets.fernet"
    _write_plain_secrets(path, layout)
    with pytest.raises(CredentialError) as caught:
        EncryptedFileSource(path, _fernet).get(SecretKey("valant", "password"))
    assert expected in str(caught.value) and str(path) in str(caught.value)


def test_secret_values_with_newlines_quotes_and_unicode_read_back_exactly(
        tmp_path: Path) -> None:
    path = tmp_path / "secrets.fernet"
    values = {
        "pem": "-----BEGIN KEY-----\nabc\r\ndef\n-----END KEY-----\n",
        "quotes": "it's \"quoted\" \\ back\\slash",
        "unicode": "pässwörd-密码-🔑\u00a0\t",
    }
    writer = EncryptedFileSource(path, _fernet)
    for name, value in values.items():
        writer.set(SecretKey("valant", name), value)
    reader = EncryptedFileSource(path, _fernet)
    assert {name: reader.get(SecretKey("valant", name)) for name in values} == values


def _save_many(state: str, worker: int, start: Any, count: int) -> None:
    vault = SessionVault(Path(state), _fernet)
    start.wait()
    for i in range(count):
        vault.save(_session(f"w{worker}-{i}", saved_at=float(worker * 10_000 + i)))


def test_two_processes_saving_while_a_third_loads_never_tear_a_session(
        tmp_path: Path) -> None:
    """Two runs of one account saving at once while a third loads: every load is a
    whole session of one writer, and the file ends as the last save of one of them."""
    ctx = multiprocessing.get_context("fork")
    start = ctx.Event()
    count = 150
    procs = [ctx.Process(target=_save_many, args=(str(tmp_path), w, start, count))
             for w in (1, 2)]
    for proc in procs:
        proc.start()
    start.set()
    reader = SessionVault(tmp_path, _fernet)
    loads = 0
    while any(p.is_alive() for p in procs):
        session = reader.load("valant", "admin")  # CredentialError on a torn file
        if session is not None:
            value = session.snapshot.storage_state["cookies"][0]["value"]
            assert value.startswith(("w1-", "w2-"))
            loads += 1
    for proc in procs:
        proc.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    assert loads > 0
    final = reader.load("valant", "admin")
    assert final is not None
    assert final.snapshot.storage_state["cookies"][0]["value"] in {
        f"w1-{count - 1}", f"w2-{count - 1}"}


def _first_run(state: str, start: Any, out: Any) -> None:
    """One `portwright run` of a fresh workspace: make (or find) the key, encrypt."""
    os.environ.pop("PORTWRIGHT_SECRET_KEY", None)
    os.environ.pop("PORTWRIGHT_SECRETS_KEY_FILE", None)
    start.wait()
    try:
        out.put(load_fernet(Path(state), create=True).encrypt(b"saved by a first run"))
    except CredentialError as exc:
        out.put(str(exc).encode())


def test_first_runs_of_a_fresh_workspace_at_once_share_one_key(tmp_path: Path) -> None:
    """Several processes starting on a workspace with no key yet (parallel `secrets set`
    of a setup script, parallel first runs): each used to be able to fail with "key file
    already exists" or read the key file before its creator had written it. Now every
    one works, and all use the same key."""
    ctx = multiprocessing.get_context("fork")
    for attempt in range(15):
        state = tmp_path / f"workspace-{attempt}"
        start = ctx.Barrier(4)
        out = ctx.Queue()
        procs = [ctx.Process(target=_first_run, args=(str(state), start, out))
                 for _ in range(4)]
        for proc in procs:
            proc.start()
        tokens = [out.get(timeout=60) for _ in procs]
        for proc in procs:
            proc.join(60)
        errors = [t.decode() for t in tokens if not t.startswith(b"gAAAAA")]
        assert errors == []
        key = Fernet((state / "secret.key").read_bytes().strip())
        assert [key.decrypt(t) for t in tokens] == [b"saved by a first run"] * 4, tokens
        assert sorted(p.name for p in state.iterdir()) == ["secret.key"]


async def test_a_session_signed_in_at_another_portal_url_is_not_reused(
        tmp_path: Path) -> None:
    """Staging and production (or two practices on one host, where the cookies would be
    sent along) under one account name: a session saved at one URL is not installed at
    the other; that one signs in itself. The same URL spelled differently still counts."""
    manager = SessionManager(tmp_path, fernet_factory=_fernet)
    portal = _Portal(_Context())
    production = LoginTarget(context=cast(Any, portal.context), portal="valant",
                             account="admin", login=portal.login, health=portal.healthy,
                             portal_url="https://ehr.clinic.example/practice-a")
    assert (await manager.ensure(production, installed=None)).logged_in

    assert manager.load("valant", "admin",
                        portal_url="https://EHR.clinic.example:443/practice-a/") is not None
    assert manager.load("valant", "admin",
                        portal_url="https://ehr.clinic.example/practice-b") is None
    assert manager.load("valant", "admin",
                        portal_url="https://staging.clinic.example/practice-a") is None
