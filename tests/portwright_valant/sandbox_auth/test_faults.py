"""Injected faults: the spec parser's errors, maintenance, rate limiting, sudden session
expiry, and injected errors whose write either did not happen or happened completely."""

from __future__ import annotations

import pytest

from portwright_valant.sandbox.auth.accounts import account
from portwright_valant.sandbox.faults import FaultSpec, parse_faults

BILLER = account("biller")


def test_full_spec_parses():
    spec = parse_faults("latency=200ms±100,error_rate=0.1,expire_sessions_every=60s,"
                        "maintenance=on,rate_limit=5/s,slow_render=800ms")
    assert spec == FaultSpec(latency_ms=200, latency_jitter_ms=100, error_rate=0.1,
                             expire_sessions_every_s=60, maintenance=True, rate_limit=(5, 1.0),
                             slow_render_ms=800)
    assert parse_faults("") == FaultSpec()
    assert parse_faults("rate_limit=100/m, latency=1s").rate_limit == (100, 60.0)


@pytest.mark.parametrize(("spec", "names"), [
    ("latncy=200ms", "'latncy'"),
    ("error_rate=1.5", "'error_rate'"),
    ("error_rate=often", "'error_rate'"),
    ("rate_limit=5", "'rate_limit'"),
    ("maintenance=maybe", "'maintenance'"),
    ("slow_render=fast", "'slow_render'"),
    ("latency=100ms±300", "'latency'"),
    ("expire_sessions_every=0s", "'expire_sessions_every'"),
    ("maintenance", "'maintenance'"),
    ("maintenance=on,maintenance=off", "'maintenance'"),
])
def test_bad_spec_is_a_clear_error_naming_the_key(spec, names):
    with pytest.raises(ValueError, match=names):
        parse_faults(spec)


def test_bad_spec_stops_the_sandbox_from_starting(auth_sandbox):
    with pytest.raises(ValueError, match="'error_rate'"):
        auth_sandbox(faults="error_rate=2")


def test_maintenance_answers_503_with_retry_after(auth_sandbox, portal_client, twilio_client):
    server = auth_sandbox(faults="maintenance=on,slow_render=800ms")
    assert server.app.state.faults.slow_render_ms == 800
    portal = portal_client(server)
    page = portal.http.get("/login")
    assert page.status_code == 503
    assert page.headers["retry-after"] == "300"
    assert "scheduled maintenance" in page.text
    api = portal.http.get("/api/me")
    assert (api.status_code, api.json()) == (503, {"error": "maintenance"})
    # the SMS provider is not the portal: it stays up
    assert twilio_client(server).messages.list(limit=1) == []

    server.app.state.faults.set("")
    assert portal.http.get("/login").status_code == 200


def test_rate_limit_answers_429_with_retry_after(auth_sandbox, portal_client):
    server = auth_sandbox(faults="rate_limit=3/m")
    portal = portal_client(server)
    statuses = [portal.http.get("/login").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    limited = portal.http.get("/login")
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["retry-after"]) <= 20


def test_sessions_expire_suddenly_every_period(auth_sandbox, portal_client, clock):
    server = auth_sandbox(faults="expire_sessions_every=60s")
    portal = portal_client(server)
    portal.password("biller", BILLER.password)
    assert portal.http.get("/api/me").status_code == 200
    clock(server)(61)
    page = portal.http.get("/patients")
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=%2Fpatients&reason=expired"
    with server.state.connect() as conn:
        assert conn.execute("SELECT ended_reason FROM sessions").fetchone()[0] == "fault"


def _live_sessions(server):
    with server.state.connect() as conn:
        return conn.execute("SELECT count(*) FROM sessions").fetchone()[0]


def test_injected_error_on_a_write_is_before_or_after_and_the_db_agrees(
        auth_sandbox, portal_client):
    """Sign-in writes a session row: an error *before* leaves none, *after* leaves one."""
    server = auth_sandbox(faults="error_rate=0.5")
    portal = portal_client(server)
    seen: dict[str, int] = {}
    for _ in range(40):
        portal.http.cookies.clear()  # a fresh browser each round: never already signed in
        page = portal.http.get("/login")
        if page.status_code != 200:
            assert page.status_code in (500, 502, 503)
            continue
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        before = _live_sessions(server)
        answer = portal.http.post("/login", data={"csrf_token": token, "username": "biller",
                                                  "password": BILLER.password})
        written = _live_sessions(server) - before
        fault = answer.headers.get("x-sandbox-fault")
        if fault is None:
            assert (answer.status_code, written) == (303, 1)
            continue
        assert answer.status_code in (500, 502, 503)
        assert "set-cookie" not in answer.headers  # the client never learns the session
        assert written == {"before": 0, "after": 1}[fault]
        seen[fault] = seen.get(fault, 0) + 1
        if len(seen) == 2:
            break
    assert set(seen) == {"before", "after"}
