"""Password sign-in over HTTP: CSRF, lockout, roles, session expiry and single-session.

Every check is made twice: on what the portal answered, and on its database.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from portwright_valant.sandbox.auth.accounts import account

BILLER = account("biller")
ADMIN = account("admin")


def _sessions(server, username):
    with server.state.connect() as conn:
        return conn.execute(
            "SELECT s.* FROM sessions s JOIN users u ON u.id = s.user_id"
            " WHERE u.username = ? ORDER BY s.created_at", (username,)).fetchall()


def test_password_only_account_lands_on_the_page_it_asked_for(auth_sandbox, portal_client):
    server = auth_sandbox()
    portal = portal_client(server)
    first = portal.http.get("/patients?page=2")
    assert first.status_code == 303
    assert first.headers["location"] == "/login?next=%2Fpatients%3Fpage%3D2"

    answer = portal.password(BILLER.username, BILLER.password, "/patients?page=2")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/patients?page=2"
    cookie = next(c for c in portal.http.cookies.jar if c.name == "vl_session")
    assert cookie.has_nonstandard_attr("HttpOnly")
    me = portal.http.get("/api/me").json()
    assert (me["username"], me["role"]) == ("biller", "biller")
    assert [s["via"] for s in _sessions(server, "biller")] == ["password"]


def test_password_is_stored_hashed_not_in_clear(auth_sandbox):
    server = auth_sandbox()
    with server.state.connect() as conn:
        rows = conn.execute("SELECT username, password_hash FROM users").fetchall()
    for row in rows:
        if row["password_hash"] is not None:
            assert row["password_hash"].startswith("scrypt$")
            assert account(row["username"]).password not in row["password_hash"]


def test_form_without_valid_csrf_token_is_refused(auth_sandbox, portal_client):
    server = auth_sandbox()
    portal = portal_client(server)
    portal.http.get("/login")  # the browser has a CSRF cookie, the forged form has no token
    no_token = portal.http.post("/login", data={"username": "biller", "password": BILLER.password})
    forged = portal.http.post("/login", data={"username": "biller", "password": BILLER.password,
                                               "csrf_token": "0" * 64})
    assert no_token.status_code == 403
    assert forged.status_code == 403
    assert _sessions(server, "biller") == []


def test_five_failures_lock_the_account_even_for_the_right_password(
        auth_sandbox, portal_client, clock):
    server = auth_sandbox()
    portal = portal_client(server)
    for _ in range(4):
        wrong = portal.password("biller", "not-the-password")
        assert wrong.status_code == 401
        assert "Invalid username or password." in wrong.text
    fifth = portal.password("biller", "not-the-password")
    assert "locked" in fifth.text
    right = portal.password("biller", BILLER.password)
    assert right.status_code == 423
    assert "Your account is locked" in right.text
    assert _sessions(server, "biller") == []
    with server.state.connect() as conn:
        events = [r[0] for r in conn.execute(
            "SELECT event FROM auth_events WHERE username = 'biller' ORDER BY id")]
    assert events == ["login_failed"] * 4 + ["locked", "login_locked"]

    clock(server)(15 * 60 + 1)  # the lock lasts 15 minutes
    assert portal.password("biller", BILLER.password).status_code == 303


def test_admin_can_unlock_a_locked_account(auth_sandbox, portal_client):
    server = auth_sandbox()
    portal = portal_client(server)
    for _ in range(5):
        portal.password("biller", "nope")
    admin = portal_client(server)
    assert admin.password("devadmin", account("devadmin").password).status_code == 303
    with server.state.connect() as conn:
        biller_id = conn.execute("SELECT id FROM users WHERE username='biller'").fetchone()[0]
    unlocked = admin.form(f"/admin/users/{biller_id}/unlock", "/admin/users", {})
    assert unlocked.status_code == 303
    assert portal.password("biller", BILLER.password).status_code == 303


def test_role_without_access_gets_403_page(auth_sandbox, portal_client):
    server = auth_sandbox()
    biller = portal_client(server)
    biller.password("biller", BILLER.password)
    page = biller.http.get("/admin/users")
    assert page.status_code == 403
    assert "Access Denied" in page.text
    clinical = biller.http.get("/encounters")  # a clinical page of the portal
    assert clinical.status_code == 403
    assert biller.http.get("/claims").status_code == 200
    admin = portal_client(server)
    admin.password("devadmin", account("devadmin").password)
    assert admin.http.get("/admin/users").status_code == 200


def test_idle_session_expires_and_returns_to_the_page_after_login(
        auth_sandbox, portal_client, clock):
    server = auth_sandbox(session_ttl_s=300)
    portal = portal_client(server)
    portal.password("biller", BILLER.password)
    advance = clock(server)
    advance(200)
    assert portal.http.get("/api/me").status_code == 200  # activity resets the idle timer
    advance(200)
    assert portal.http.get("/api/me").status_code == 200
    advance(301)
    api = portal.http.get("/api/me")
    assert api.status_code == 401
    assert api.json()["error"] == "not_authenticated"
    assert _sessions(server, "biller")[0]["ended_reason"] == "expired"

    page = portal.http.get("/patients?q=smith")
    assert page.status_code == 303
    target = urlparse(page.headers["location"])
    assert target.path == "/login"
    assert parse_qs(target.query) == {"next": ["/patients?q=smith"], "reason": ["expired"]}
    login_page = portal.http.get(page.headers["location"])
    assert "Your session has expired" in login_page.text
    again = portal.password("biller", BILLER.password, "/patients?q=smith")
    assert again.headers["location"] == "/patients?q=smith"


def test_single_session_mode_ends_the_older_session(auth_sandbox, portal_client):
    server = auth_sandbox(single_session=True)
    first, second = portal_client(server), portal_client(server)
    first.password("biller", BILLER.password)
    assert first.http.get("/api/me").status_code == 200
    second.password("biller", BILLER.password)
    assert second.http.get("/api/me").status_code == 200
    kicked = first.http.get("/dashboard")
    assert kicked.status_code == 303
    assert "reason=replaced" in kicked.headers["location"]
    assert [s["ended_reason"] for s in _sessions(server, "biller")] == ["replaced", None]


def test_without_single_session_both_sessions_live(auth_sandbox, portal_client):
    server = auth_sandbox()
    first, second = portal_client(server), portal_client(server)
    first.password("biller", BILLER.password)
    second.password("biller", BILLER.password)
    assert first.http.get("/api/me").status_code == 200
    assert second.http.get("/api/me").status_code == 200


def test_logout_ends_the_session(auth_sandbox, portal_client):
    server = auth_sandbox()
    portal = portal_client(server)
    portal.password("biller", BILLER.password)
    out = portal.form("/logout", "/dashboard", {})
    assert out.headers["location"] == "/login?reason=signed_out"
    assert portal.http.get("/api/me").status_code == 401
    assert _sessions(server, "biller")[0]["ended_reason"] == "logout"


def test_sso_only_account_cannot_use_a_password(auth_sandbox, portal_client):
    server = auth_sandbox()
    answer = portal_client(server).password("jlee", "anything")
    assert answer.status_code == 401
    assert "single sign-on" in answer.text
