"""HTTP a flow sends through the browser context's API client (``context.request``).

Playwright's ``APIRequestContext`` shares the context's cookies but bypasses both HAR
recording and ``context.route``: left alone, a ``request`` step (e.g. a session health
check calling ``/api/me``) would be missing from recordings and would reach the network
on replay. So the recorder and the replayer put a stand-in behind ``context.request``:

* ``RecordingApiRequests`` forwards each call and logs it as a HAR entry, added to the
  recording's HAR (and scrubbed with it);
* ``ReplayApiRequests`` answers each call from the HAR's queues, with the same matching
  as browser traffic; a call not in the recording fails, and nothing is sent.

Only ``context.request`` of contexts made for recording or replay is swapped (through a
subclass of the context's own class), so nothing else in the process is affected.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from playwright.async_api import BrowserContext

from portwright.exceptions import ReplayMismatch
from portwright.recording.har_replay import HarReplay, RecordedResponse
from portwright.recording.request_key import request_key
from portwright.recording.scrub.bodies import is_text_mime

__all__ = ["RecordingApiRequests", "ReplayApiRequests", "install_api_requests"]

_METHODS = ("get", "post", "put", "patch", "delete", "head")


def install_api_requests(context: BrowserContext, stand_in: Any) -> None:
    """Make ``context.request`` return ``stand_in`` for this context only."""
    base = type(context)
    context.__class__ = type(base.__name__, (base,), {"request": property(lambda _: stand_in)})


def _full_url(url: str, params: Any) -> str:
    if not params:
        return url
    pairs = params.items() if isinstance(params, dict) else params
    query = urlencode([(k, "true" if v is True else "false" if v is False else v)
                       for k, v in pairs])
    return f"{url}{'&' if urlsplit(url).query else '?'}{query}"


def _body(kwargs: dict[str, Any]) -> tuple[str | None, str]:
    if kwargs.get("form") is not None:
        return urlencode(kwargs["form"]), "application/x-www-form-urlencoded"
    data = kwargs.get("data")
    if data is None:
        return None, ""
    if isinstance(data, bytes):
        return data.decode("utf-8", "replace"), "application/octet-stream"
    if isinstance(data, str):
        return data, "text/plain"
    return json.dumps(data), "application/json"


class _MethodShortcuts:
    async def fetch(self, url: str, **kwargs: Any) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def __getattr__(self, name: str) -> Any:
        if name in _METHODS:
            async def call(url: str, **kwargs: Any) -> Any:
                return await self.fetch(url, method=name.upper(), **kwargs)

            return call
        raise AttributeError(name)


@dataclass
class RecordingApiRequests(_MethodShortcuts):
    """Forwards to the real API client and logs every exchange as a HAR entry."""

    real: Any
    entries: list[dict[str, Any]] = field(default_factory=list)

    async def fetch(self, url: str, **kwargs: Any) -> Any:
        response = await self.real.fetch(url, **kwargs)
        method = str(kwargs.get("method") or "GET").upper()
        body, content_type = _body(kwargs)
        raw = await response.body()
        mime = response.headers.get("content-type", "")
        content: dict[str, Any] = {"mimeType": mime, "size": len(raw)}
        if is_text_mime(mime) or not raw:
            content["text"] = raw.decode("utf-8", "replace")
        else:
            content["text"], content["encoding"] = base64.b64encode(raw).decode(), "base64"
        request: dict[str, Any] = {
            "method": method, "url": _full_url(url, kwargs.get("params")),
            "headers": [{"name": k, "value": str(v)}
                        for k, v in (kwargs.get("headers") or {}).items()],
        }
        if body is not None:
            request["postData"] = {"mimeType": content_type, "text": body}
        self.entries.append({
            "_portwright": "context.request",
            "request": request,
            "response": {"status": response.status, "headers": [
                {"name": k, "value": v} for k, v in response.headers.items()],
                "content": content},
        })
        return response


class _ReplayedResponse:
    """What a ``request`` step reads from an ``APIResponse``."""

    def __init__(self, recorded: RecordedResponse, url: str) -> None:
        self._recorded = recorded
        self.url = url
        self.status = recorded.status
        self.headers = {k.lower(): v for k, v in recorded.headers.items()}
        self.ok = 200 <= recorded.status < 300
        self.status_text = ""

    async def body(self) -> bytes:
        return self._recorded.body

    async def text(self) -> str:
        return self._recorded.body.decode("utf-8", "replace")

    async def json(self) -> Any:
        return json.loads(self._recorded.body or b"null")

    async def dispose(self) -> None:
        return None


@dataclass
class ReplayApiRequests(_MethodShortcuts):
    """Answers API-client calls from the recording; nothing is sent anywhere."""

    replay: HarReplay

    async def fetch(self, url: str, **kwargs: Any) -> Any:
        method = str(kwargs.get("method") or "GET").upper()
        full = _full_url(url, kwargs.get("params"))
        body, content_type = _body(kwargs)
        headers = {k.lower(): str(v) for k, v in (kwargs.get("headers") or {}).items()}
        key = request_key(method, full, body, headers.get("content-type", content_type),
                          self.replay.policy)
        recorded = self.replay.take(key)
        if recorded is None:
            self.replay.misses.append(f"{method} {full}")
            raise ReplayMismatch(f"{method} {full} is not in the recording",
                                 hint="re-record the flow with --record-mode all")
        self.replay.served.append(f"{method} {full}")
        return _ReplayedResponse(recorded, full)
