"""No secret reaches an artifact: plant known values, run logins (passing and failing)
with traces kept, then search everything that was written.

Planted: the accounts' passwords, TOTP seeds (portal and IdP), mailbox password, the
SMS provider's token, and every one-time code the runs used (read back from the
channels and the portal afterwards). Searched: step logs, error messages, RunResult
JSON, every member of every trace zip (network bodies included), every other file in
the artifacts and state folders (saved sessions must be ciphertext), captured logs and
console output. Each value is searched raw, form-encoded and URL-encoded.
"""

from __future__ import annotations

import json
import logging
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, quote, quote_plus

import pyotp
import pytest
from imapclient import IMAPClient

from portwright.auth.mfa import TotpLedger
from portwright.exceptions import LoginFailed, MfaCodeRejected, MfaError
from portwright.testing.services.dovecot import DovecotServer
from portwright_valant.sandbox.auth.accounts import IDP_ACCOUNTS, MAILBOX_PASSWORD, account
from portwright_valant.testing import SandboxHandle

from .conftest import EngineFactory, start_portal
from .test_logins import _JumpingClock

pytestmark = [pytest.mark.browser, pytest.mark.services]

WRONG_SEED = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U"
WRONG_PASSWORD = "Not-The-Password-4711!"
WRONG_MAIL_PASSWORD = "mailbox-pw-planted-9931"
WRONG_TOKEN = "planted-twilio-token-5562"


@pytest.fixture(scope="module")
def leak_portal(sandbox_mailbox: DovecotServer) -> Iterator[SandboxHandle]:
    handle = start_portal(sandbox_mailbox, ui_version="2026.1")
    yield handle
    handle.server.stop()


def _variants(value: str) -> set[bytes]:
    return {v.encode() for v in (value, quote(value, safe=""), quote_plus(value))}


def _texts(root: Path) -> Iterator[tuple[str, bytes]]:
    """Every file below ``root``; zip members one by one (traces are zips)."""
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as zf:
                for name in zf.namelist():
                    yield f"{path}!{name}", zf.read(name)
        else:
            yield str(path), path.read_bytes()


def _codes_from_mailbox(mail: DovecotServer, address: str) -> set[str]:
    with IMAPClient(mail.host, port=mail.imap_port, ssl=False) as imap:
        imap.login(address, MAILBOX_PASSWORD)
        imap.select_folder("INBOX")
        bodies = imap.fetch(imap.search(["ALL"]), ["BODY[TEXT]"])
    return {m for b in bodies.values()
            for m in re.findall(rb"code is (\d{6})", b[b"BODY[TEXT]"])}  # type: ignore[misc]


async def test_no_planted_secret_reaches_any_artifact(
    leak_portal: SandboxHandle, make_engine: EngineFactory, sandbox_mailbox: DovecotServer,
    tmp_path: Path, caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    handle = leak_portal
    results: list[str] = []
    errors: list[str] = []

    engine, auth, env = make_engine(handle, trace="on")
    for flow, user in (("valant.login.totp", "admin"), ("valant.login.email", "scheduler"),
                       ("valant.login.sms", "clinician"), ("valant.login.sso", "jlee")):
        result = await engine.run(flow, account=user)
        results.append(result.to_json())
        await auth.ensure("valant", user)  # saves the signed-in session

    # Failing logins: a wrong TOTP seed (two codes rejected) and a wrong password.
    bad_state = tmp_path / "bad"
    # (a clock that jumps: waiting for a fresh code window costs no real time)
    bad_engine, _, _ = make_engine(handle, state=bad_state, trace="on", clock=_JumpingClock(),
                                   extra={"PORTWRIGHT_SECRET_VALANT_ADMIN_TOTP_SECRET":
                                          WRONG_SEED})
    with pytest.raises(MfaCodeRejected) as rejected:
        await bad_engine.run("valant.login.totp", account="admin")
    errors.append(str(rejected.value))
    wrong_pw_engine, _, _ = make_engine(handle, state=tmp_path / "pw", trace="on",
                                        clock=_JumpingClock(), extra={
        "PORTWRIGHT_SECRET_VALANT_BILLER_PASSWORD": WRONG_PASSWORD})
    with pytest.raises(LoginFailed) as refused:
        await wrong_pw_engine.run("valant.login", account="biller")
    errors.append(str(refused.value))
    # Failing second factors after the password went in: the mailbox and the SMS
    # provider refuse the credentials (the portal has sent codes that are never read).
    for user, secret, value in (("scheduler", "IMAP_PASSWORD", WRONG_MAIL_PASSWORD),
                                ("clinician", "TWILIO_AUTH_TOKEN", WRONG_TOKEN)):
        broken, _, _ = make_engine(handle, state=tmp_path / user, trace="on",
                                   clock=_JumpingClock(), extra={
            f"PORTWRIGHT_SECRET_VALANT_{user.upper()}_{secret}": value})
        with pytest.raises(MfaError) as failed:
            await broken.run("valant.login", account=user)
        errors.append(str(failed.value))

    logs = caplog.text  # before this test reads the channels itself (its own IMAP logs)
    out = capsys.readouterr()

    # What must never appear: every secret, and every code the runs used.
    planted = {v for k, v in env.items() if not k.endswith(("_USERNAME", "_IMAP_HOST",
               "_IMAP_PORT", "_IMAP_TLS", "_IMAP_USER", "_TWILIO_API_BASE", "_LOGIN_FLOW",
               "_SSO_USERNAME", "_TWILIO_ACCOUNT_SID"))}
    planted |= {WRONG_SEED, WRONG_PASSWORD, WRONG_MAIL_PASSWORD, WRONG_TOKEN,
                account("admin").password or "",
                IDP_ACCOUNTS[0].password}
    domain = handle.config.mail_domain
    planted |= {c.decode() for c in _codes_from_mailbox(sandbox_mailbox,
                                                          f"scheduler@{domain}")}
    planted |= set(re.findall(r"code is (\d{6})",
                              " ".join(m["body"] for m in handle.server.state.sms_outbox)))
    for seed, user in ((account("admin").totp_secret, "admin"),
                       (IDP_ACCOUNTS[0].totp_secret, "jordan.lee")):
        table = "users" if user == "admin" else "idp_users"
        step = handle.scalar(f"SELECT totp_last_step FROM {table} WHERE username = ?", user)
        planted.add(pyotp.TOTP(seed or "").at(int(step) * 30))
    last = TotpLedger(bad_state / "state").last_step("valant", "admin")
    assert last is not None
    planted |= {pyotp.TOTP(WRONG_SEED).at(s * 30) for s in (last - 1, last)}
    planted.discard("")
    assert len(planted) >= 12

    corpus: list[tuple[str, bytes]] = []
    corpus += [(f"result[{i}]", r.encode()) for i, r in enumerate(results)]
    corpus += [(f"error[{i}]", e.encode()) for i, e in enumerate(errors)]
    corpus += [("logs", logs.encode())]
    corpus += [("stdout", out.out.encode()), ("stderr", out.err.encode())]
    for root in (tmp_path / "artifacts", tmp_path / "state", bad_state, tmp_path / "pw",
                 tmp_path / "scheduler", tmp_path / "clinician"):
        corpus += list(_texts(root))
    traces = [n for n, _ in corpus if ".zip!" in n]
    assert traces, "the runs kept their traces"
    sessions = [n for n, _ in corpus if n.endswith(".session")]
    assert sessions, "the logins saved sessions"

    leaks = [(name, value) for name, data in corpus for value in planted
             if any(v in data for v in _variants(value))]
    assert leaks == [], "\n".join(f"{v!r} in {n}" for n, v in leaks)


@pytest.mark.parametrize("user", ["admin", "biller"])
async def test_a_traced_flow_whose_login_ran_first_keeps_no_secret_of_that_login(
    leak_portal: SandboxHandle, make_engine: EngineFactory, tmp_path: Path, user: str,
) -> None:
    """``portwright run --trace`` on a fresh session: PortalAuth signs in as a run of its
    own, then the flow runs; the flow's trace covers the same browser context, whose
    network log still holds the login's form posts."""
    engine, auth, _ = make_engine(leak_portal, state=tmp_path / user, trace="on")
    engine.trace_snapshots = True   # as `portwright run --trace` has it
    result = await auth.run("valant.providers.list", account=user)
    assert any(p.suffix == ".zip" for p in result.artifacts), "the run kept its trace"
    planted = {account(user).password or ""}
    if user == "admin":
        seed = account("admin").totp_secret or ""
        step = leak_portal.scalar(
            "SELECT totp_last_step FROM users WHERE username = 'admin'")
        planted |= {seed, pyotp.TOTP(seed).at(int(step) * 30)}
    planted.discard("")
    corpus = list(_texts(tmp_path / user / "artifacts"))
    assert any(".zip!" in name for name, _ in corpus)
    leaks = [(name, value) for name, data in corpus for value in planted
             if any(v in data for v in _variants(value))]
    assert leaks == [], "\n".join(f"{v!r} in {n}" for n, v in leaks)
    # Fields the redactor never saw are blanked by name: the CSRF token the login page
    # gave, in the logged form and in the request body the trace keeps beside it.
    trace = next(p for p in result.artifacts if p.suffix == ".zip")
    with zipfile.ZipFile(trace) as kept:
        members = {name: kept.read(name) for name in kept.namelist()}
    posts = [json.loads(line)["snapshot"]["request"] for name, data in members.items()
             if name.endswith(".network") for line in data.splitlines() if line.strip()
             if json.loads(line).get("snapshot", {}).get("request", {}).get("method") == "POST"]
    logins = [p["postData"] for p in posts if p["url"].split("?")[0].endswith("/login")]
    assert logins, "the trace shows the login's form post"
    for post in logins:
        fields = {param["name"]: param["value"] for param in post["params"]}
        assert fields["csrf_token"] == fields["password"] == "***"
        assert fields.get("next") not in (None, "***")   # the rest stays readable
        body = dict(parse_qsl(members[post["_file"]].decode()))
        assert body["csrf_token"] == body["password"] == "***"
