"""SSO over HTTP: the authorization-code round trip through the sandbox IdP, and the
checks that make it safe (state bound to the browser, single-use codes)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import httpx

from portwright_valant.sandbox.auth.accounts import IDP_ACCOUNTS
from portwright_valant.sandbox.auth.idp import CLIENT_ID, CLIENT_SECRET

JORDAN = IDP_ACCOUNTS[0]


def _follow_to_idp_login(portal, next_url="/patients"):
    start = portal.http.get(f"/sso/start?next={next_url}")
    assert start.status_code == 303
    authorize = portal.http.get(start.headers["location"])
    assert authorize.headers["location"].startswith("/idp/login?request_id=")
    return authorize.headers["location"]


def _idp_sign_in(portal, server, fresh_totp, login_page):
    request_id = parse_qs(urlparse(login_page).query)["request_id"][0]
    after_password = portal.form("/idp/login", login_page, {
        "request_id": request_id, "username": JORDAN.username, "password": JORDAN.password})
    assert after_password.headers["location"] == f"/idp/mfa?request_id={request_id}"
    code = fresh_totp(server, JORDAN.totp_secret, "idp_users", JORDAN.username)
    back = portal.form("/idp/mfa", after_password.headers["location"],
                       {"request_id": request_id, "code": code})
    assert back.status_code == 303
    return back.headers["location"]


def test_sso_round_trip_signs_in_the_linked_account(auth_sandbox, portal_client, fresh_totp):
    server = auth_sandbox()
    portal = portal_client(server)
    callback = _idp_sign_in(portal, server, fresh_totp, _follow_to_idp_login(portal))
    target = urlparse(callback)
    assert f"{target.scheme}://{target.netloc}{target.path}" == server.url + "/sso/callback"
    landed = portal.http.get(callback)
    assert landed.headers["location"] == "/patients"
    assert portal.http.get("/api/me").json()["username"] == "jlee"
    with server.state.connect() as conn:
        via = conn.execute("SELECT via FROM sessions").fetchall()
        codes = conn.execute("SELECT used_at FROM idp_codes").fetchall()
    assert [r[0] for r in via] == ["sso"]
    assert len(codes) == 1 and codes[0][0] is not None

    # replaying the callback (same state and code) is refused
    replay = portal.http.get(callback)
    assert replay.status_code == 400
    assert "Start again" in replay.text
    with server.state.connect() as conn:
        assert conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 1


def test_state_is_single_use_even_with_its_cookie(auth_sandbox, portal_client, fresh_totp):
    server = auth_sandbox()
    portal = portal_client(server)
    callback = _idp_sign_in(portal, server, fresh_totp, _follow_to_idp_login(portal))
    state = parse_qs(urlparse(callback).query)["state"][0]
    assert portal.http.get(callback).status_code == 303
    portal.http.cookies.set("vl_sso_state", state, path="/sso")  # an attacker's replay
    replay = portal.http.get(callback)
    assert replay.status_code == 400
    assert "already used" in replay.text


def test_idp_session_skips_the_idp_login_next_time(auth_sandbox, portal_client, fresh_totp):
    server = auth_sandbox()
    portal = portal_client(server)
    portal.http.get(_idp_sign_in(portal, server, fresh_totp, _follow_to_idp_login(portal)))
    portal.form("/logout", "/dashboard", {})
    start = portal.http.get("/sso/start?next=/tasks")
    authorize = portal.http.get(start.headers["location"])
    assert urlparse(authorize.headers["location"]).path == "/sso/callback"
    assert portal.http.get(authorize.headers["location"]).headers["location"] == "/tasks"


def test_callback_with_a_state_from_another_browser_is_refused(
        auth_sandbox, portal_client, fresh_totp):
    server = auth_sandbox()
    victim, attacker = portal_client(server), portal_client(server)
    callback = _idp_sign_in(attacker, server, fresh_totp, _follow_to_idp_login(attacker))
    forced = victim.http.get(callback)  # the victim's browser never started this sign-in
    assert forced.status_code == 400
    assert victim.http.get("/api/me").status_code == 401


def test_token_endpoint_redeems_a_code_once(auth_sandbox, portal_client, fresh_totp):
    server = auth_sandbox()
    portal = portal_client(server)
    callback = _idp_sign_in(portal, server, fresh_totp, _follow_to_idp_login(portal))
    code = parse_qs(urlparse(callback).query)["code"][0]
    form = {"grant_type": "authorization_code", "code": code,
            "redirect_uri": server.url + "/sso/callback"}
    with httpx.Client(base_url=server.url) as backend:
        wrong_secret = backend.post("/idp/token", data=form, auth=(CLIENT_ID, "nope"))
        assert wrong_secret.status_code == 401
        first = backend.post("/idp/token", data=form, auth=(CLIENT_ID, CLIENT_SECRET))
        assert first.status_code == 200
        claims = first.json()["id_token"].split(".")[1]
        assert re.fullmatch(r"[A-Za-z0-9_-]+", claims)
        second = backend.post("/idp/token", data=form, auth=(CLIENT_ID, CLIENT_SECRET))
    assert second.status_code == 400
    assert second.json() == {"error": "invalid_grant", "error_description": "code already used"}
    # the portal can no longer use the code either
    assert portal.http.get(callback).status_code == 400


def test_idp_rejects_an_unregistered_redirect_uri(auth_sandbox, portal_client):
    server = auth_sandbox()
    page = portal_client(server).http.get(
        "/idp/authorize", params={"client_id": CLIENT_ID, "response_type": "code",
                                  "state": "x", "redirect_uri": "http://evil.test/sso/callback"})
    assert page.status_code == 400
    assert "redirect_uri is not registered" in page.text


def test_idp_wrong_password_and_wrong_code(auth_sandbox, portal_client):
    server = auth_sandbox()
    portal = portal_client(server)
    login_page = _follow_to_idp_login(portal)
    request_id = parse_qs(urlparse(login_page).query)["request_id"][0]
    wrong = portal.form("/idp/login", login_page, {
        "request_id": request_id, "username": JORDAN.username, "password": "nope"})
    assert wrong.status_code == 401
    assert "recognize that username and password" in wrong.text
    ok = portal.form("/idp/login", login_page, {
        "request_id": request_id, "username": JORDAN.username, "password": JORDAN.password})
    bad_code = portal.form("/idp/mfa", ok.headers["location"],
                           {"request_id": request_id, "code": "12345x"})
    assert bad_code.status_code == 401
    assert "Invalid code" in bad_code.text
