"""Serve a recorded HAR to a browser context, in order, with nothing else reaching the network.

Why not Playwright's ``route_from_har``: it picks *a* matching entry for each request, so
a portal that answers the same request differently over time (a list before and after a
write, a login page before and after a failed attempt) replays wrong; and it matches
bodies verbatim, so a fresh CSRF token or timestamp in a POST body misses.

Here every recorded entry is queued under its normalized ``request_key``; a live request
consumes the next entry of its queue (the last one is served again once the queue is
used up, as a browser cache would). A request with no entry is aborted and remembered in
``misses``, so a test can say exactly what the recording lacks. The route covers every
URL of the context, so no request, to the portal or anywhere else, leaves the machine.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from playwright._impl._api_structures import SetCookieParam
from playwright.async_api import BrowserContext, Request, Route, WebSocketRoute

from portwright.exceptions import ReplayMismatch
from portwright.recording.json_file import read_har
from portwright.recording.request_key import RequestKey, request_key
from portwright.recording.scrub.bodies import decode_body
from portwright.recording.scrub.policy import ScrubPolicy

__all__ = ["HarReplay", "RecordedResponse", "load_har"]

# Headers that described the original transfer, not the body we fulfill with.
_TRANSFER_HEADERS = frozenset({"content-length", "content-encoding", "transfer-encoding",
                               "connection", "keep-alive"})


@dataclass
class RecordedResponse:
    """One recorded answer, ready for ``route.fulfill``."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes

    @classmethod
    def from_entry(cls, entry: dict[str, Any]) -> RecordedResponse:
        response = entry["response"]
        headers: dict[str, str] = {}
        for header in response.get("headers", []):
            name, value = str(header["name"]), str(header["value"])
            low = name.lower()
            if low in _TRANSFER_HEADERS or name.startswith(":"):
                continue
            if low == "set-cookie" and "set-cookie" in headers:
                headers["set-cookie"] += "\n" + value
            else:
                headers[low if low == "set-cookie" else name] = value
        content = response.get("content") or {}
        text = content.get("text") or ""
        body = decode_body(text, content.get("encoding")) if text else b""
        return cls(str(entry["request"]["url"]), int(response.get("status", 200)), headers, body)


@dataclass
class HarReplay:
    """The routing state of one replay: queues per request key, what was served and missed."""

    policy: ScrubPolicy
    queues: dict[RequestKey, deque[RecordedResponse]] = field(
        default_factory=lambda: defaultdict(deque))
    last: dict[RequestKey, RecordedResponse] = field(default_factory=dict)
    served: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    #: WebSockets the page opened, each closed at once (a HAR holds no frames to serve)
    refused_sockets: list[str] = field(default_factory=list)
    _context: BrowserContext | None = None
    #: answers already taken for a navigation redirected to their URL
    _arrivals: dict[str, RecordedResponse] = field(default_factory=dict)

    @classmethod
    def from_har(cls, har: dict[str, Any], policy: ScrubPolicy) -> HarReplay:
        replay = cls(policy)
        for entry in har.get("log", {}).get("entries", []):
            response = entry.get("response") or {}
            if int(response.get("status", 0)) <= 0:  # cancelled or stalled while recording
                continue
            request = entry["request"]
            post = request.get("postData") or {}
            content_type = str(post.get("mimeType") or _header(request, "content-type"))
            key = request_key(str(request["method"]), str(request["url"]), post.get("text"),
                              content_type, policy)
            replay.queues[key].append(RecordedResponse.from_entry(entry))
        return replay

    def take(self, key: RequestKey) -> RecordedResponse | None:
        """The next recorded response for ``key`` (the last again once all were used)."""
        queue = self.queues.get(key)
        if queue:
            response = queue.popleft()
            self.last[key] = response
            return response
        return self.last.get(key)

    async def attach(self, context: BrowserContext) -> None:
        """Route every request of ``context`` through this replay."""
        self._context = context
        await context.route("**/*", self._handle)
        # ``route`` never sees a WebSocket: without this one would reach the network
        await context.route_web_socket("**/*", self._refuse_socket)

    async def _refuse_socket(self, socket: WebSocketRoute) -> None:
        """Close a WebSocket before it connects. Not a miss: no recording can hold its
        frames; a flow that needed them shows it in its output, against the golden."""
        self.refused_sockets.append(socket.url)
        await socket.close(code=1008, reason="portwright replay: offline")

    async def _handle(self, route: Route, request: Request) -> None:
        content_type = request.headers.get("content-type", "")
        buffer = request.post_data_buffer
        body = buffer.decode("utf-8", "replace") if buffer is not None else None
        key = request_key(request.method, request.url, body, content_type, self.policy)
        arrived = self._arrivals.pop(request.url, None) if request.method == "GET" else None
        response = arrived or self.take(key)
        if response is None:
            self.misses.append(f"{request.method} {request.url}")
            await route.abort("blockedbyclient")
            return
        self.served.append(f"{request.method} {request.url}")
        location = _location(response)
        if location is not None:
            # Chromium does not follow a fulfilled redirect. As Playwright's own HAR router
            # does, the whole recorded chain is followed here (keeping the cookies each hop
            # set) and the browser is sent once to where it ends: a navigation through the
            # redirect call (redirecting a redirected navigation again crashes the driver),
            # a fetch by answering with the chain's last response directly.
            await self._store_cookies(response, request.url)
            final_url, final = await self._follow(urljoin(request.url, location))
            if final is None:
                self.misses.append(f"GET {final_url}")
                await route.abort("blockedbyclient")
                return
            if request.is_navigation_request():
                self._arrivals[final_url] = final
                # the same private call Playwright's route_from_har makes for this case
                await route._impl_obj._redirect_navigation_request(final_url)
                return
            response = final
        await route.fulfill(status=response.status, headers=response.headers, body=response.body)

    async def _follow(self, url: str) -> tuple[str, RecordedResponse | None]:
        """Where a recorded redirect chain starting at ``url`` ends, and its answer."""
        for _ in range(20):
            response = self.take(request_key("GET", url, None, "", self.policy))
            if response is None:
                return url, None
            self.served.append(f"GET {url}")
            location = _location(response)
            if location is None:
                return url, response
            await self._store_cookies(response, url)
            url = urljoin(url, location)
        return url, None

    async def _store_cookies(self, response: RecordedResponse, url: str) -> None:
        header = response.headers.get("set-cookie")
        if not header or self._context is None:
            return
        cookies: list[SetCookieParam] = []
        for line in header.split("\n"):
            name, _, rest = line.partition("=")
            value = rest.split(";", 1)[0]
            if name.strip():
                cookies.append({"name": name.strip(), "value": value, "url": url})
        await self._context.add_cookies(cookies)

    def raise_for_misses(self) -> None:
        if self.misses:
            raise ReplayMismatch(
                f"{len(self.misses)} request(s) are not in the recording: "
                + "; ".join(self.misses[:5]) + (" ..." if len(self.misses) > 5 else ""),
                hint="the flow or portal changed since recording: re-record with "
                "--record-mode all",
            )


def _location(response: RecordedResponse) -> str | None:
    if 300 <= response.status < 400:
        for name, value in response.headers.items():
            if name.lower() == "location":
                return value
    return None


def _header(request: dict[str, Any], name: str) -> str:
    for header in request.get("headers", []):
        if str(header.get("name", "")).lower() == name:
            return str(header.get("value", ""))
    return ""


def load_har(path: Path) -> dict[str, Any]:
    """The HAR at ``path``, its shape checked (``RecordingError`` naming the file)."""
    return read_har(path)


