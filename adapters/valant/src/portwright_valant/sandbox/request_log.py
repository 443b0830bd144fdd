"""The request log: method, path, status and duration of every request, nothing else.

Query strings and bodies are left out on purpose: they carry search terms, names and
credentials, and the log must stay free of PHI and secrets.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portwright_valant.sandbox.state import RequestLogEntry, SandboxState

__all__ = ["RequestLogMiddleware"]

_MAX_ENTRIES = 50_000


class RequestLogMiddleware:
    """Outermost ASGI middleware, so injected faults are logged with their real status."""

    def __init__(self, app: ASGIApp, state: SandboxState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        logged = False
        length: int | None = None  # the declared Content-Length, when there is one
        sent = 0

        def record() -> None:
            nonlocal logged
            if logged:
                return
            logged = True
            log = self.state.request_log
            if len(log) >= _MAX_ENTRIES:
                del log[: _MAX_ENTRIES // 10]
            log.append(RequestLogEntry(
                method=scope["method"], path=scope["path"], status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
                at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            ))

        async def capture(message: Message) -> None:
            nonlocal status, length, sent
            if message["type"] == "http.response.start":
                status = int(message["status"])
                length = _content_length(message)
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
                # Before the last byte leaves, so a client that got the response sees the
                # entry. A streamed body (middleware re-chunks responses) may end with an
                # empty closing message sent *after* the client already read all of the
                # declared length: the declared length is the end then.
                if not message.get("more_body") or (length is not None and sent >= length):
                    record()
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            record()


def _content_length(start: Message) -> int | None:
    for name, value in start.get("headers", []):
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
