"""The request log's promise: once a client holds the whole response, its entry is there.

Middleware may re-chunk a response (Starlette's ``BaseHTTPMiddleware`` streams every body
and closes with an empty message); the client is done when it has the declared length,
which can be before that closing message is sent. These tests drive the ASGI middleware
directly and look at the log at the moment each message leaves.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from starlette.types import Message, Receive, Scope, Send

from portwright_valant.sandbox.config import SandboxConfig
from portwright_valant.sandbox.request_log import RequestLogMiddleware
from portwright_valant.sandbox.state import SandboxState

SCOPE: Scope = {"type": "http", "method": "GET", "path": "/patients",
                "query_string": b"q=Nguyen", "headers": []}


def _logged_when_sent(messages: list[Message], tmp_path: Path) -> list[tuple[str, bool]]:
    """Run ``messages`` through the middleware; for each, whether the entry was logged
    by the time it was handed to the server."""
    state = SandboxState(config=SandboxConfig(patients=0), db_path=tmp_path / "unused")

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        for message in messages:
            await send(message)

    seen: list[tuple[str, bool]] = []

    async def send(message: Message) -> None:
        seen.append((message["type"], bool(state.request_log)))

    async def receive() -> Message:
        return {"type": "http.disconnect"}

    asyncio.run(RequestLogMiddleware(app, state)(SCOPE, receive, send))
    assert len(state.request_log) == 1  # exactly one entry, however it ended
    entry = state.request_log[0]
    assert (entry.method, entry.path, entry.status) == ("GET", "/patients", 200)
    assert "Nguyen" not in repr(entry)
    return seen


def _start(length: int | None) -> Message:
    headers = [(b"content-type", b"text/html")]
    if length is not None:
        headers.append((b"content-length", str(length).encode()))
    return {"type": "http.response.start", "status": 200, "headers": headers}


def test_a_streamed_body_is_logged_before_its_last_declared_byte_leaves(tmp_path: Path
                                                                         ) -> None:
    seen = _logged_when_sent([
        _start(10),
        {"type": "http.response.body", "body": b"hello", "more_body": True},
        {"type": "http.response.body", "body": b"world", "more_body": True},
        {"type": "http.response.body", "body": b"", "more_body": False},
    ], tmp_path)
    assert [logged for _, logged in seen] == [False, False, True, True]


def test_a_body_of_unknown_length_is_logged_with_its_closing_message(tmp_path: Path) -> None:
    seen = _logged_when_sent([
        _start(None),
        {"type": "http.response.body", "body": b"chunk", "more_body": True},
        {"type": "http.response.body", "body": b"", "more_body": False},
    ], tmp_path)
    assert [logged for _, logged in seen] == [False, False, True]
