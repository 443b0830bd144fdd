"""Two requests changing one appointment at once: the second decides on what the first
wrote, so a double cancel is refused as already cancelled and a cancelled appointment is
not edited afterwards.

The requests overlap deterministically, without sleeps: each is sent with
``Expect: 100-continue`` and no body. The server answers ``100 Continue`` only once the
handler asks for the body, so when both have been answered both handlers are running
side by side; the bodies are then released one after the other. (The sandbox's latency
fault delays a request before its handler starts, which would not make them overlap.)
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from contextlib import closing
from urllib.parse import urlencode, urlsplit

import httpx
import pytest

from portwright_valant.testing import SandboxHandle, csrf_of, http_session


@pytest.fixture
def portal(make_sandbox: Callable[..., SandboxHandle]) -> SandboxHandle:
    """A portal of its own: these tests cancel appointments."""
    return make_sandbox(patients=12)


@pytest.fixture
def client(portal: SandboxHandle) -> Iterator[httpx.Client]:
    with closing(http_session(portal)) as c:
        yield c


class HeldPost:
    """A form POST whose headers went out and whose body waits until ``release``."""

    def __init__(self, portal: SandboxHandle, client: httpx.Client, path: str,
                 form: dict[str, str], token: str) -> None:
        self.body = urlencode(form).encode()
        url = urlsplit(portal.url)
        cookies = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
        head = (f"POST {path} HTTP/1.1\r\nHost: {url.netloc}\r\nCookie: {cookies}\r\n"
                f"X-CSRF-Token: {token}\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(self.body)}\r\nExpect: 100-continue\r\n"
                "Connection: close\r\n\r\n")
        self.sock = socket.create_connection((url.hostname, url.port), timeout=30)
        self.sock.sendall(head.encode())
        self.reply = b""
        while b"\r\n\r\n" not in self.reply:
            chunk = self.sock.recv(4096)
            assert chunk, "connection closed before the handler read the body"
            self.reply += chunk
        interim, _, self.reply = self.reply.partition(b"\r\n\r\n")
        # the handler is now running and waiting for this body
        assert interim.startswith(b"HTTP/1.1 100"), interim

    def release(self) -> tuple[int, str]:
        """Send the body; the final status and response text."""
        self.sock.sendall(self.body)
        while chunk := self.sock.recv(65536):
            self.reply += chunk
        self.sock.close()
        status = int(self.reply.split(b" ", 2)[1])
        return status, self.reply.decode("utf-8", "replace")


def _scheduled_appointment(portal: SandboxHandle) -> str:
    apt_id: str = portal.scalar(
        "SELECT id FROM appointments WHERE status = 'scheduled' AND start_time > "
        "strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+2 days') ORDER BY start_time, id LIMIT 1")
    return apt_id


def test_of_two_concurrent_cancels_the_second_is_refused_as_already_cancelled(
    portal: SandboxHandle, client: httpx.Client
) -> None:
    apt_id = _scheduled_appointment(portal)
    token = csrf_of(client.get(f"/appointments/{apt_id}").text)
    path = f"/appointments/{apt_id}/cancel"
    first = HeldPost(portal, client, path, {"cancel_reason": "Patient request"}, token)
    second = HeldPost(portal, client, path, {"cancel_reason": "Provider ill"}, token)
    first_status, _ = first.release()
    second_status, second_page = second.release()

    assert first_status == 303
    assert second_status == 422
    assert "A cancelled appointment cannot be cancelled" in second_page
    row = portal.query("SELECT status, cancel_reason FROM appointments WHERE id = ?",
                       apt_id)[0]
    assert (row["status"], row["cancel_reason"]) == ("cancelled", "Patient request")


def test_an_edit_racing_a_cancel_does_not_change_the_cancelled_appointment(
    portal: SandboxHandle, client: httpx.Client
) -> None:
    apt_id = _scheduled_appointment(portal)
    a = portal.query("SELECT * FROM appointments WHERE id = ?", apt_id)[0]
    token = csrf_of(client.get(f"/appointments/{apt_id}/edit").text)
    edit = {
        "patient_id": a["patient_id"], "provider_id": a["provider_id"],
        "location_id": a["location_id"], "appointment_type": a["appointment_type"],
        "service_codes": a["service_codes"], "diagnosis_codes": a["diagnosis_codes"],
        "date": a["start_time"][:10], "start_time": a["start_time"][11:16],
        "end_time": a["end_time"][11:16], "place_of_service": a["place_of_service"],
        "reminder_email": "on", "notes": "Bring the intake form",
        "reference_id": a["reference_id"] or "",
    }
    cancel = HeldPost(portal, client, f"/appointments/{apt_id}/cancel",
                      {"cancel_reason": "Patient request"}, token)
    update = HeldPost(portal, client, f"/appointments/{apt_id}", edit, token)
    cancel_status, _ = cancel.release()
    update_status, update_page = update.release()

    assert cancel_status == 303
    assert update_status == 409
    assert "A cancelled appointment cannot change" in update_page
    row = portal.query("SELECT status, notes FROM appointments WHERE id = ?", apt_id)[0]
    assert (row["status"], row["notes"]) == ("cancelled", a["notes"])
