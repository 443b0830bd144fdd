"""A tiny stateful portal over real HTTP, for recording and replay tests of the machinery.

It has what makes plain HAR replay fail: a CSRF token that changes per page view, a login
that redirects and sets a session cookie, a page whose answer changes on every visit, and
a JSON endpoint called with a cache-busting parameter. It also serves PHI (a patient's
name, date of birth, phone, email) that scrubbing must replace consistently.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.async_api import Page

from portwright.recording.scrub import BASELINE_POLICY, ScrubPolicy

PATIENT = {"firstName": "Marguerite", "lastName": "Oakenfold", "dateOfBirth": "1961-04-09",
           "phone": "(503) 241-7788", "email": "marguerite.oakenfold@mailhost.test",
           "mrn": "MRN-774120"}
PASSWORD = "Tiny-Portal-Pass-91"


@dataclass
class TinyPortal:
    url: str
    hits: list[str] = field(default_factory=list)
    csrf: set[str] = field(default_factory=set)
    sessions: set[str] = field(default_factory=set)
    visits: int = 0
    patient: dict[str, str] = field(default_factory=lambda: dict(PATIENT))
    password: str = PASSWORD


def _handler(portal: TinyPortal) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep test output clean
            pass

        def _send(self, status: int, body: str, ctype: str = "text/html",
                  headers: dict[str, str] | None = None) -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def _logged_in(self) -> bool:
            cookie = self.headers.get("Cookie", "")
            return any(part.strip().removeprefix("sid=") in portal.sessions
                       for part in cookie.split(";") if part.strip().startswith("sid="))

        def do_GET(self) -> None:
            portal.hits.append(f"GET {self.path}")
            path = urlsplit(self.path).path
            if path == "/login":
                token = secrets.token_hex(16)
                portal.csrf.add(token)
                self._send(200, f"""<html><head><title>Login</title></head><body>
<form method="post" action="/login"><input type="hidden" name="csrf_token" value="{token}">
<input id="user" name="username"><input id="pw" type="password" name="password">
<button id="go" type="submit">Sign in</button></form></body></html>""")
            elif path == "/home":
                if not self._logged_in():
                    self._send(302, "", headers={"Location": "/login"})
                    return
                portal.visits += 1
                p = PATIENT
                self._send(200, f"""<html><head><title>Home</title></head><body>
<p id="visits">visit {portal.visits}</p>
<table><tr class="patient" data-mrn="{p['mrn']}">
<td class="name">{p['lastName']}, {p['firstName']}</td>
<td class="dob">04/09/1961</td><td class="phone">{p['phone']}</td>
<td class="email">{p['email']}</td></tr></table>
<p>Next appointment May 12, 2026</p>
<div id="api"></div>
<script>fetch('/api/patients?_=' + Date.now()).then(r => r.json()).then(d => {{
  const p = d.patients[0];
  document.getElementById('api').textContent = p.firstName + ' ' + p.dateOfBirth;
}});</script></body></html>""")
            elif path == "/api/patients":
                self._send(200, json.dumps({"patients": [PATIENT]}), "application/json")
            else:
                self._send(404, "not found")

        def do_POST(self) -> None:
            portal.hits.append(f"POST {self.path}")
            length = int(self.headers.get("Content-Length", "0"))
            form = parse_qs(self.rfile.read(length).decode())
            token = form.get("csrf_token", [""])[0]
            if token not in portal.csrf or form.get("password", [""])[0] != PASSWORD:
                self._send(403, "bad login")
                return
            sid = secrets.token_hex(20)
            portal.sessions.add(sid)
            self._send(302, "", headers={"Location": "/home",
                                         "Set-Cookie": f"sid={sid}; Path=/; HttpOnly"})

    return Handler


@pytest.fixture(scope="module")
def tiny_portal() -> Iterator[TinyPortal]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(TinyPortal("")))
    portal = TinyPortal(f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = _handler(portal)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield portal
    server.shutdown()
    server.server_close()
    thread.join()


TINY_POLICY = BASELINE_POLICY.merged(ScrubPolicy.model_validate({
    "fields": {"first_name": "name", "last_name": "name", "date_of_birth": "date",
               "phone": "phone", "email": "email", "mrn": "mrn", "username": "secret"},
    "name_pairs": [["first_name", "last_name"]],
}))


async def run_tiny_flow(page: Page, base_url: str, password: str) -> dict[str, Any]:
    """Log in, read the patient row and the client-rendered API text, visit home twice."""
    await page.goto(f"{base_url}/login")
    await page.fill("#user", "frontdesk")
    await page.fill("#pw", password)
    await page.click("#go")
    await page.wait_for_url("**/home")
    await page.wait_for_function("document.getElementById('api').textContent.length > 0")
    last, first = (await page.text_content("td.name") or "").split(", ")
    dob = datetime.strptime((await page.text_content("td.dob") or "").strip(), "%m/%d/%Y")
    first_visit = await page.text_content("#visits")
    await page.goto(f"{base_url}/home")
    # the second page fetches the API too: read it once it is there, so the recording
    # holds that answer and the output never depends on whether the fetch won the race
    await page.wait_for_function("document.getElementById('api').textContent.length > 0")
    return {
        "firstName": first.strip(),
        "lastName": last.strip(),
        "dateOfBirth": dob.date().isoformat(),
        "phone": (await page.text_content("td.phone") or "").strip(),
        "email": (await page.text_content("td.email") or "").strip(),
        "mrn": await page.get_attribute("tr.patient", "data-mrn"),
        "apiText": await page.text_content("#api"),
        "visits": [first_visit, await page.text_content("#visits")],
    }


TinyFlow = Callable[[Page, str, str], Awaitable[dict[str, Any]]]


@pytest.fixture(scope="session")
def tiny_policy() -> ScrubPolicy:
    return TINY_POLICY


@pytest.fixture(scope="session")
def tiny_flow() -> TinyFlow:
    return run_tiny_flow
