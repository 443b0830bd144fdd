"""A tiny real HTTP server for tests of flows and custom steps against local pages.

Routes map a path to a fixed page or to a function of the request; it runs in a thread
on a free loopback port and is stopped by ``close()`` (or the context manager). Meant
for engine mechanics; portal behaviour belongs in the adapter's sandbox.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

__all__ = ["PageRequest", "PagesServer", "Reply"]


@dataclass(frozen=True)
class PageRequest:
    """What a route function sees."""

    method: str
    path: str
    query: dict[str, str]
    body: bytes
    headers: Mapping[str, str]
    cookies: dict[str, str] = field(default_factory=dict)

    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass(frozen=True)
class Reply:
    """A response: body text (HTML by default), status, extra headers."""

    body: str | bytes
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: Mapping[str, str] = field(default_factory=dict)

    @staticmethod
    def json(data: Any, status: int = 200) -> Reply:
        return Reply(json.dumps(data), status, "application/json")


Route = str | Reply | Callable[[PageRequest], Reply]


class PagesServer:
    """Serve ``routes`` on ``http://127.0.0.1:<port>``; ``requests`` logs every hit."""

    def __init__(self, routes: Mapping[str, Route]) -> None:
        self.routes = dict(routes)
        self.requests: list[PageRequest] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                cookies = {}
                for chunk in (self.headers.get("Cookie") or "").split(";"):
                    if "=" in chunk:
                        k, v = chunk.strip().split("=", 1)
                        cookies[k] = v
                req = PageRequest(
                    method=self.command, path=parts.path,
                    query={k: v[0] for k, v in parse_qs(parts.query).items()},
                    body=self.rfile.read(length) if length else b"",
                    headers=dict(self.headers.items()), cookies=cookies,
                )
                server.requests.append(req)
                route = server.routes.get(parts.path)
                if route is None:
                    reply = Reply("not found", 404, "text/plain")
                elif isinstance(route, str):
                    reply = Reply(route)
                elif isinstance(route, Reply):
                    reply = route
                else:
                    reply = route(req)
                body = reply.body.encode() if isinstance(reply.body, str) else reply.body
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(body)))
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> PagesServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
