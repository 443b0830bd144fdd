"""No secret or PHI reaches a log, even with every logger at DEBUG.

A service embedding portwright often turns on DEBUG logging for everything
(``logging.basicConfig(level=logging.DEBUG)``): portwright's own loggers and every
library it drives (playwright, asyncio, the HTTP stack under the SMS provider's client,
imapclient for emailed codes). This probe does exactly that - one handler on the root
logger at DEBUG - and runs through the public Python API: a password login, a TOTP
login, an emailed-code login, a texted-code login, a patient search by MRN, a chart read,
a booking, and failing runs that a service logs with ``log.exception(...)``.

Then it searches every captured record - the formatted message, the raw message and its
args, the traceback text and the stack - for every value the Valant sandbox plants
(patient names, MRNs, emails, phones, addresses, dates of birth in any notation,
passwords, TOTP seeds, the mailbox password, the SMS provider's token), every one-time
code the runs used, and every cookie the portal handed the browser (the session cookie
is a bearer credential).

The sandbox portal and the Dovecot it mails to run in this process or beside it, but in
a real deployment they are the portal's and the mail provider's, not the service's: the
portal server's own loggers (uvicorn, the sandbox app) are left out of the search.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

import pyotp
import pytest
from imapclient import IMAPClient
from playwright.async_api import Browser

from portwright.auth.mfa.phone_log_mask import install_phone_number_mask
from portwright.exceptions import LoginFailed, PortalValidationError
from portwright.recording.hooks import PlantedValue
from portwright.recording.planted_match import (
    find_planted,
    find_planted_dates,
    planted_dates,
    planted_patterns,
)
from portwright.testing.services.dovecot import DovecotServer
from portwright_valant.recording_hooks import planted_values
from portwright_valant.sandbox.auth.accounts import MAILBOX_PASSWORD, account
from portwright_valant.sandbox.config import SandboxConfig
from portwright_valant.sandbox.server import SandboxServer
from portwright_valant.testing import Mailbox, SandboxHandle

from .conftest import EngineFactory
from .test_logins import _JumpingClock

pytestmark = [pytest.mark.browser, pytest.mark.services]

WRONG_PASSWORD = "Wrong-Pass-For-Debug-Logs-8812!"
#: the loggers of the portal itself (in production: someone else's server, not a log of
#: the service embedding portwright)
PORTAL_SIDE = ("uvicorn", "portwright_valant.sandbox", "starlette", "fastapi")


@dataclass(frozen=True)
class Captured:
    """One log record as every handler and formatter could render it."""

    logger: str
    text: str


class _EverythingHandler(logging.Handler):
    """Keeps each record's formatted message, raw msg, args, traceback and stack."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.records: list[Captured] = []

    def emit(self, record: logging.LogRecord) -> None:
        parts = [self.format(record), repr(record.msg), repr(record.args)]
        if record.exc_info:
            parts.append(logging.Formatter().formatException(record.exc_info))
        if record.exc_text:
            parts.append(record.exc_text)
        if record.stack_info:
            parts.append(record.stack_info)
        self.records.append(Captured(record.name, "\n".join(parts)))


@pytest.fixture
def debug_everything() -> Iterator[_EverythingHandler]:
    """Root logger at DEBUG with one capturing handler, as a service's basicConfig."""
    root = logging.getLogger()
    handler = _EverythingHandler()
    level = root.level
    root.setLevel(logging.DEBUG)
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


@pytest.fixture(scope="module")
def seeded_portal(sandbox_mailbox: DovecotServer) -> Iterator[SandboxHandle]:
    """The default seed (so the adapter's planted values are this portal's patients),
    2026.1, mailing its codes to the session's Dovecot."""
    config = SandboxConfig(ui_version="2026.1", lmtp_host=sandbox_mailbox.host,
                           lmtp_port=sandbox_mailbox.lmtp_port)
    server = SandboxServer(config).start()
    yield SandboxHandle(server=server, mailbox=Mailbox(
        sandbox_mailbox.host, sandbox_mailbox.imap_port, sandbox_mailbox.lmtp_port,
        dict(sandbox_mailbox.users)))
    server.stop()


def _emailed_codes(mail: DovecotServer, address: str) -> set[str]:
    with IMAPClient(mail.host, port=mail.imap_port, ssl=False) as imap:
        imap.login(address, MAILBOX_PASSWORD)
        imap.select_folder("INBOX")
        bodies = imap.fetch(imap.search(["ALL"]), ["BODY[TEXT]"])
    return {m.decode() for b in bodies.values()
            for m in re.findall(rb"code is (\d{6})", b[b"BODY[TEXT]"])}


async def _cookie_values(browser: Browser) -> set[str]:
    """Every cookie value the engine's contexts hold (session, CSRF, pending MFA)."""
    values: set[str] = set()
    for context in browser.contexts:
        values |= {c["value"] for c in await context.cookies() if len(c["value"]) >= 8}
    return values


async def test_debug_logging_of_everything_keeps_secrets_and_phi_out(
    seeded_portal: SandboxHandle, make_engine: EngineFactory, browser: Browser,
    sandbox_mailbox: DovecotServer, debug_everything: _EverythingHandler,
) -> None:
    handle = seeded_portal
    service_log = logging.getLogger("service.embedding.portwright")
    engine, _, _ = make_engine(handle)

    for flow, user in (("valant.login", "devadmin"), ("valant.login.totp", "admin"),
                       ("valant.login.email", "scheduler"), ("valant.login.sms", "clinician")):
        result = await engine.run(flow, account=user)
        service_log.debug("signed in: %s", result.to_json())

    patient_id, mrn = handle.query(
        "SELECT id, mrn FROM patients WHERE status = 'active' ORDER BY id LIMIT 1")[0]
    found = await engine.run("valant.patients.list", {"query": mrn}, account="devadmin")
    assert [p.patient_id for p in found.outputs["Patient"]] == [patient_id]
    chart = await engine.run("valant.patients.get", {"patient_id": patient_id},
                             account="devadmin")
    assert [p.patient_id for p in chart.outputs["Patient"]] == [patient_id]

    provider = handle.scalar("SELECT primary_provider_id FROM patients WHERE id = ?",
                             patient_id)
    location = handle.scalar("SELECT location_id FROM providers WHERE id = ?", provider)
    booking = {"patient_id": patient_id, "provider_id": provider, "location_id": location,
               "appointment_type": "Follow-up", "service_codes": ["99214"],
               "diagnosis_codes": ["F41.1"], "start_time": "2027-07-05T15:00:00Z",
               "end_time": "2027-07-05T15:50:00Z", "reference_id": "debug-log-probe-1"}
    booked = await engine.run("valant.appointments.create", booking, account="devadmin")
    assert booked.outputs["created"] is True
    cookies = await _cookie_values(browser)

    # Failing runs, logged as a service logs them: with the traceback.
    failures = 0
    try:
        await engine.run("valant.appointments.create",
                         booking | {"reference_id": "debug-log-probe-2",
                                    "end_time": "2027-07-05T14:00:00Z"},
                         account="devadmin")
    except PortalValidationError:  # the portal refuses an end before the start
        service_log.exception("booking for %s failed", patient_id)
        failures += 1
    wrong, _, _ = make_engine(handle, clock=_JumpingClock(), extra={
        "PORTWRIGHT_SECRET_VALANT_BILLER_PASSWORD": WRONG_PASSWORD})
    try:
        await wrong.run("valant.patients.get", {"patient_id": patient_id}, account="biller")
    except LoginFailed:
        service_log.exception("sign-in failed")
        failures += 1
    assert failures == 2, "both failing runs failed"

    records = list(debug_everything.records)  # before this test reads the channels itself
    logging.getLogger().removeHandler(debug_everything)

    codes = _emailed_codes(sandbox_mailbox, f"scheduler@{handle.config.mail_domain}")
    codes |= set(re.findall(r"code is (\d{6})",
                            " ".join(m["body"] for m in handle.server.state.sms_outbox)))
    step = handle.scalar("SELECT totp_last_step FROM users WHERE username = 'admin'")
    codes.add(pyotp.TOTP(account("admin").totp_secret or "").at(int(step) * 30))
    assert len(codes) >= 3, "each second factor used a code"
    assert cookies, "the portal's cookies were read"

    planted = [*planted_values(),
               PlantedValue("wrong password", WRONG_PASSWORD, is_secret=True),
               *(PlantedValue("one-time code", c, is_secret=True) for c in codes),
               *(PlantedValue("cookie value", c, is_secret=True) for c in cookies)]
    patterns = planted_patterns(planted)
    dates = planted_dates(planted)
    searched = [r for r in records if not r.logger.startswith(PORTAL_SIDE)]
    # The search covered the stacks that carry codes and credentials: the SMS provider's
    # HTTP requests, the mailbox's IMAP session and the service's own failure logs.
    assert {"urllib3.connectionpool", "imapclient.imapclient",
            "service.embedding.portwright"} <= {r.logger for r in searched}
    leaks = sorted({f"{label} in {r.logger}: {text!r}"
                    for r in searched
                    for _, label, text in [*find_planted(r.text, patterns),
                                           *find_planted_dates(r.text, dates)]})
    assert leaks == [], f"{len(leaks)} leaks:\n" + "\n".join(leaks[:40])


def test_the_sms_request_line_logged_by_urllib3_names_neither_number_nor_account() -> None:
    """urllib3 logs each request line at DEBUG; the Messages API's carries the practice's
    provider account id in its path and the account's number in its query."""
    sid = SandboxConfig().twilio_account_sid
    number = account("clinician").phone or ""
    assert sid and number
    install_phone_number_mask()
    handler = _EverythingHandler()
    logger = logging.getLogger("urllib3.connectionpool")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        logger.debug('%s://%s:%s "%s %s %s" %s %s', "http", "127.0.0.1", 8000, "GET",
                     f"/twilio/2010-04-01/Accounts/{sid}/Messages.json"
                     f"?To={quote(number, safe='')}&PageSize=50", "HTTP/1.1", 200, 382)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    [record] = handler.records
    assert "/Messages.json?To=" in record.text  # the line itself is kept, readable
    assert sid not in record.text
    assert number not in record.text and quote(number, safe="") not in record.text
