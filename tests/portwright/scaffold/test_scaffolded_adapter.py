"""A scaffolded adapter works as written against a portal whose pages fit its first map.

The user's path, each step a real process: scaffold ``acme``, install it (``pip install``
builds it from its own ``pyproject.toml``, into a folder of its own), check its generated
code with ruff and ``mypy --strict``, validate, run its example flow and record it against
a real local portal, check its selector map there as an account whose session is then
reused, then, with the portal stopped, replay it, audit it and run its generated
standard-suite tests. The providers listed must be the portal's
own; the sign-in secrets must appear in no recorded file.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from portwright.codes.npi import npi_check_digit
from portwright.scaffold import adapter_names, scaffold_adapter
from portwright.testing.pages_server import PageRequest, PagesServer, Reply

pytestmark = pytest.mark.browser

BIN = Path(sys.executable).parent
USERNAME, PASSWORD = "front-desk-7", "Acme-Portal-2026!"


def _npi(base: str) -> str:
    return base + str(npi_check_digit(base))


#: the portal's providers: its ground truth (id, the name as the table prints it, NPI)
PROVIDERS = [("prv-101", "Okafor, Ngozi", _npi("124567890")),
             ("prv-102", "Lindqvist, Erik", _npi("198765432")),
             ("prv-103", "Ana Ruiz", _npi("155512345"))]


class AcmePortal:
    """A small portal with a real login: a session cookie, redirects when signed out."""

    def __init__(self) -> None:
        self.sessions: set[str] = set()
        self.server = PagesServer({"/": self.home, "/login": self.login,
                                   "/providers": self.providers})

    def _signed_in(self, req: PageRequest) -> bool:
        return req.cookies.get("sid") in self.sessions

    @staticmethod
    def _page(body: str) -> Reply:
        return Reply(f"<!doctype html><html><head><title>Acme</title></head>"
                     f"<body>{body}</body></html>")

    def login(self, req: PageRequest) -> Reply:
        error = ""
        if req.method == "POST":
            form = req.form()
            if form.get("username") == USERNAME and form.get("password") == PASSWORD:
                sid = secrets.token_hex(16)
                self.sessions.add(sid)
                return Reply("", 303, headers={"Location": "/",
                                               "Set-Cookie": f"sid={sid}; HttpOnly; Path=/"})
            error = '<p role="alert">Wrong username or password.</p>'
        return self._page(
            f'<form method="post" action="/login">{error}'
            '<label for="u">Username</label><input id="u" name="username">'
            '<label for="p">Password</label><input id="p" name="password" type="password">'
            '<button type="submit">Sign in</button></form>')

    def home(self, req: PageRequest) -> Reply:
        if not self._signed_in(req):
            return Reply("", 303, headers={"Location": "/login"})
        return self._page('<nav><a href="/providers">Providers</a>'
                          '<form method="post" action="/logout"><button>Sign out</button>'
                          '</form></nav><h1>Welcome</h1>')

    def providers(self, req: PageRequest) -> Reply:
        if not self._signed_in(req):
            return Reply("", 303, headers={"Location": "/login"})
        rows = "".join(f'<tr data-id="{pid}"><td>{name}</td><td>{npi}</td></tr>'
                       for pid, name, npi in PROVIDERS)
        return self._page('<nav><form method="post" action="/logout"><button>Sign out'
                          '</button></form></nav><table><thead><tr><th>Name</th><th>NPI</th>'
                          f'</tr></thead><tbody>{rows}</tbody></table>')


def _install(adapter: Path, site: Path) -> str:
    """``pip install`` the adapter (built by its own pyproject) into ``site``; the
    PYTHONPATH that makes its package and entry point visible."""
    done = subprocess.run(
        [str(BIN / "python"), "-m", "pip", "install", "-q", "--no-deps",
         "--no-build-isolation", "--no-index", "--target", str(site), str(adapter)],
        capture_output=True, text=True, timeout=240, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stdout + done.stderr
    return str(site)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    root = tmp_path_factory.mktemp("acme-workspace")
    scaffold_adapter(adapter_names("acme", display_name="Acme EHR"), root)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PORTWRIGHT_", "PYTEST_"))}
    env["PYTHONPATH"] = _install(root / "adapters" / "acme", root / ".site")
    yield root, env


def _sign_ins(portal: AcmePortal) -> int:
    return sum(1 for r in portal.server.requests if (r.method, r.path) == ("POST", "/login"))


def _run(root: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / args[0]), *args[1:]], cwd=root, env=env, text=True,
                          capture_output=True, timeout=240, stdin=subprocess.DEVNULL)


def test_generated_code_passes_ruff_and_strict_mypy(
        workspace: tuple[Path, dict[str, str]]) -> None:
    root, env = workspace
    # as in the user's own repository: portwright installed, the adapter first-party
    lint = _run(root, env, "ruff", "check", "--isolated", "--select", "E,F,W,I,B,UP,SIM,RUF",
                "--line-length", "100", "--config", "src = ['adapters/acme/src']",
                "adapters", "tests")
    assert lint.returncode == 0, lint.stdout + lint.stderr
    types = _run(root, env, "mypy", "--strict", "--cache-dir", str(root / ".mypy_cache"),
                 "adapters/acme/src/portwright_acme")
    assert types.returncode == 0, types.stdout + types.stderr


def test_record_replay_audit_and_standard_suite(workspace: tuple[Path, dict[str, str]]) -> None:
    root, env = workspace
    assert _run(root, env, "portwright", "validate").returncode == 0
    signed = {**env, "PORTWRIGHT_SECRET_ACME_USERNAME": USERNAME,
              "PORTWRIGHT_SECRET_ACME_PASSWORD": PASSWORD}
    portal = AcmePortal()
    try:
        live = _run(root, signed, "portwright", "run", "acme.providers.list",
                    "--portal-url", portal.server.url)
        assert live.returncode == 0, live.stdout + live.stderr
        recorded = _run(root, signed, "portwright", "record", "acme.providers.list",
                        "--portal-url", portal.server.url, "--scenario", "all")
        assert recorded.returncode == 0, recorded.stdout + recorded.stderr
        # every name of the map resolves on the portal's pages, signed in as an account
        checked = _run(root, signed, "portwright", "selectors", "check", "acme",
                       "--url", portal.server.url, "--account", "frontdesk")
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert "missing: 0" in checked.stdout, checked.stdout
        # the generated session check makes the account's session saved and reused
        sign_ins = _sign_ins(portal)
        for _ in range(2):
            again = _run(root, signed, "portwright", "run", "acme.providers.list",
                         "--portal-url", portal.server.url, "--account", "frontdesk")
            assert again.returncode == 0, again.stdout + again.stderr
        assert _sign_ins(portal) == sign_ins
    finally:
        portal.server.close()
    assert portal.sessions, "the flow never signed in"
    listed = json.loads(live.stdout)["outputs"]
    people = next(iter(listed.values()))
    assert [(p["providerId"], p["npi"]) for p in people] == [(i, n) for i, _, n in PROVIDERS]
    assert {(p["firstName"], p["lastName"]) for p in people} == {
        ("Ngozi", "Okafor"), ("Erik", "Lindqvist"), ("Ana", "Ruiz")}

    folder = root / "recordings" / "acme" / "providers.list" / "1.0" / "all"
    assert {p.name for p in folder.iterdir()} >= {"meta.json", "golden.json"}
    for path in folder.rglob("*"):
        if path.is_file():
            text = path.read_text(errors="replace")
            assert USERNAME not in text and PASSWORD not in text, f"secret in {path.name}"
    # offline from here on: the portal is stopped
    replayed = _run(root, signed, "portwright", "replay", "acme.providers.list")
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
    assert replayed.stdout.startswith("ok   acme.providers.list 1.0/all"), replayed.stdout
    audited = _run(root, signed, "portwright", "recordings", "audit")
    assert audited.returncode == 0, audited.stdout + audited.stderr
    suite = _run(root, signed, "pytest", "-q", "-p", "no:cacheprovider", "tests/portwright_acme")
    assert suite.returncode == 0, suite.stdout + suite.stderr
    assert "6 passed" in suite.stdout, suite.stdout
