"""The second factor over HTTP, through the real channels: TOTP, email via Dovecot (read
with imapclient) and SMS via the Twilio-compatible API (read with the twilio client)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from twilio.base.exceptions import TwilioException, TwilioRestException

from portwright_valant.sandbox.auth.accounts import SMS_FROM_NUMBER, account

ADMIN = account("admin")
SCHEDULER = account("scheduler")
CLINICIAN = account("clinician")


def _session_via(server, username):
    with server.state.connect() as conn:
        return [r[0] for r in conn.execute(
            "SELECT s.via FROM sessions s JOIN users u ON u.id = s.user_id"
            " WHERE u.username = ? AND s.ended_at IS NULL", (username,))]


def test_totp_wrong_code_is_rejected_then_right_code_signs_in(
        auth_sandbox, portal_client, fresh_totp):
    server = auth_sandbox()
    portal = portal_client(server)
    assert portal.password("admin", ADMIN.password, "/patients").headers["location"] == \
        "/login/mfa"
    code = fresh_totp(server, ADMIN.totp_secret, "users", "admin")
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    rejected = portal.code(wrong)
    assert rejected.status_code == 401
    assert "Invalid code" in rejected.text
    assert _session_via(server, "admin") == []
    accepted = portal.code(code)
    assert accepted.headers["location"] == "/patients"
    assert _session_via(server, "admin") == ["mfa:totp"]


def test_totp_code_cannot_be_used_twice(auth_sandbox, portal_client, fresh_totp):
    server = auth_sandbox()
    code = fresh_totp(server, ADMIN.totp_secret, "users", "admin")
    first = portal_client(server)
    first.password("admin", ADMIN.password)
    assert first.code(code).status_code == 303
    second = portal_client(server)
    second.password("admin", ADMIN.password)
    replay = second.code(code)
    assert replay.status_code == 401
    assert "already used" in replay.text


def test_five_wrong_codes_cancel_the_sign_in(auth_sandbox, portal_client):
    server = auth_sandbox()
    portal = portal_client(server)
    portal.password("admin", ADMIN.password)
    for _ in range(4):
        assert "Invalid code" in portal.code("000000").text
    fifth = portal.code("000000")
    assert fifth.headers["location"] == "/login?reason=too_many"
    assert portal.http.get("/login/mfa").headers["location"] == "/login?reason=mfa_expired"


def test_email_code_arrives_in_dovecot_and_signs_in(auth_sandbox, portal_client, inbox):
    server = auth_sandbox()
    address = SCHEDULER.email(server.config.mail_domain)
    mark = inbox.mark(address)
    portal = portal_client(server)
    assert portal.password("scheduler", SCHEDULER.password).headers["location"] == "/login/mfa"
    assert "s********@clinic.test" in portal.http.get("/login/mfa").text

    [mail] = inbox.messages_after(address, mark)
    assert mail["from"] == "Valant <no-reply@clinic.test>"
    assert mail["subject"] == "Your Valant verification code"
    assert mail["to"] == address
    assert portal.code(mail["code"]).headers["location"] == "/dashboard"
    assert _session_via(server, "scheduler") == ["mfa:email"]


def test_send_a_new_code_replaces_the_old_one(auth_sandbox, portal_client, inbox):
    server = auth_sandbox()
    address = SCHEDULER.email(server.config.mail_domain)
    mark = inbox.mark(address)
    portal = portal_client(server)
    portal.password("scheduler", SCHEDULER.password)
    resent = portal.form("/login/mfa/resend", "/login/mfa", {})
    assert resent.headers["location"] == "/login/mfa?resent=1"
    codes = [m["code"] for m in inbox.messages_after(address, mark)]
    while codes[-1] == codes[0] and len(codes) < 4:  # equal by chance (1 in a million)
        portal.form("/login/mfa/resend", "/login/mfa", {})
        codes = [m["code"] for m in inbox.messages_after(address, mark)]
    old, new = codes[0], codes[-1]
    assert old != new
    assert "Invalid code" in portal.code(old).text
    assert portal.code(new).status_code == 303


def test_sms_code_is_read_with_the_twilio_client(auth_sandbox, portal_client, twilio_client):
    server = auth_sandbox()
    asked_at = datetime.now(UTC) - timedelta(seconds=1)
    portal = portal_client(server)
    portal.password("clinician", CLINICIAN.password)
    assert "(***) ***-0123" in portal.http.get("/login/mfa").text

    client = twilio_client(server)
    [sms] = client.messages.list(to=CLINICIAN.phone, date_sent_after=asked_at, limit=5)
    assert sms.from_ == SMS_FROM_NUMBER
    assert sms.direction == "outbound-api"
    assert sms.status == "delivered"
    assert re.fullmatch(r"SM[0-9a-f]{32}", sms.sid)
    assert sms.date_sent >= asked_at.replace(microsecond=0)
    code = re.search(r"\b(\d{6})\b", sms.body).group(1)
    assert portal.code(code).headers["location"] == "/dashboard"
    assert _session_via(server, "clinician") == ["mfa:sms"]


def test_twilio_list_pages_like_twilio(auth_sandbox, portal_client, twilio_client):
    server = auth_sandbox()
    portal = portal_client(server)
    portal.password("clinician", CLINICIAN.password)
    for _ in range(4):
        portal.form("/login/mfa/resend", "/login/mfa", {})
    client = twilio_client(server)
    page = client.messages.page(to=CLINICIAN.phone, page_size=2)
    assert len(page._payload["messages"]) == 2
    assert page._payload["next_page_uri"].startswith("/2010-04-01/Accounts/")
    listed = client.messages.list(to=CLINICIAN.phone, page_size=2)
    with server.state.connect() as conn:
        truth = [r[0] for r in conn.execute(
            "SELECT sid FROM sms_messages WHERE to_number = ?"
            " ORDER BY date_created DESC, sid DESC", (CLINICIAN.phone,))]
    assert [m.sid for m in listed] == truth
    assert len(truth) == 5
    fetched = client.messages(truth[0]).fetch()
    assert fetched.body == listed[0].body
    assert client.messages.list(to="+15550000000") == []


def test_twilio_api_refuses_a_wrong_auth_token(auth_sandbox, twilio_client):
    server = auth_sandbox()
    client = twilio_client(server, token="wrong-token")
    with pytest.raises(TwilioException) as listing:
        client.messages.list(limit=1)
    assert listing.value.args[1].status_code == 401
    with pytest.raises(TwilioRestException) as fetching:
        client.messages("SM" + "0" * 32).fetch()
    assert (fetching.value.status, fetching.value.code) == (401, 20003)


def test_remembered_device_skips_mfa_for_30_days(auth_sandbox, portal_client, fresh_totp, clock):
    server = auth_sandbox()
    portal = portal_client(server)
    portal.password("admin", ADMIN.password)
    portal.code(fresh_totp(server, ADMIN.totp_secret, "users", "admin"), remember=True)
    device = next(c for c in portal.http.cookies.jar if c.name == "vl_device")
    assert device.has_nonstandard_attr("HttpOnly")
    portal.form("/logout", "/dashboard", {})

    again = portal.password("admin", ADMIN.password, "/patients")
    assert again.headers["location"] == "/patients"
    assert _session_via(server, "admin") == ["device"]

    stranger = portal_client(server)  # another browser has no such cookie
    assert stranger.password("admin", ADMIN.password).headers["location"] == "/login/mfa"

    portal.form("/logout", "/dashboard", {})
    clock(server)(30 * 86400 + 1)
    assert portal.password("admin", ADMIN.password).headers["location"] == "/login/mfa"


def test_emailed_code_expires_after_ten_minutes(auth_sandbox, portal_client, inbox, clock):
    server = auth_sandbox()
    address = SCHEDULER.email(server.config.mail_domain)
    mark = inbox.mark(address)
    portal = portal_client(server)
    portal.password("scheduler", SCHEDULER.password)
    [mail] = inbox.messages_after(address, mark)
    clock(server)(10 * 60 + 1)
    late = portal.code(mail["code"])
    assert late.status_code == 401
    assert "Invalid code: this code has expired" in late.text
    assert _session_via(server, "scheduler") == []


def test_twilio_date_filters(auth_sandbox, portal_client, twilio_client):
    server = auth_sandbox()
    portal_client(server).password("clinician", CLINICIAN.password)
    client = twilio_client(server)
    now = datetime.now(UTC)
    assert len(client.messages.list(date_sent_after=now - timedelta(minutes=1))) == 1
    assert client.messages.list(date_sent_after=now + timedelta(minutes=1)) == []
    assert client.messages.list(date_sent_before=now - timedelta(minutes=1)) == []
    assert len(client.messages.list(date_sent=now.date())) == 1
    assert client.messages.list(from_="+15550001111") == []
