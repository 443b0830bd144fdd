"""Injected faults: what a flaky production portal does to a careful client.

``--faults`` takes a comma-separated spec, e.g.
``latency=200ms±100,error_rate=0.1,expire_sessions_every=60s,maintenance=on,rate_limit=5/s,slow_render=800ms``.
Each key has its own parser in ``PARSERS``; a typo or a bad value is a ``ValueError``
naming the key and what was expected.

``install_faults`` adds one ASGI middleware driven by ``app.state.faults`` (a
``FaultController``; tests may swap its ``spec`` at runtime). An injected error (500,
502 or 503) strikes either *before* the handler — the write did not happen — or *after*
it returned — the write happened completely and only the response was lost. A handler
that refused the request (4xx, or a redirect to sign-in) wrote nothing, so it is never
labelled ``after``: its own answer goes out unfaulted. The
response says which in ``X-Sandbox-Fault: before|after``, so a test can check the
database. ``/twilio`` (the SMS provider, not the portal) and ``/static`` are exempt.
"""

from __future__ import annotations

import asyncio
import math
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portwright_valant.sandbox.auth.runtime import AuthRuntime
from portwright_valant.sandbox.auth.sessions import end_all_sessions
from portwright_valant.sandbox.state import SandboxState

__all__ = [
    "FAULT_HEADER",
    "PARSERS",
    "FaultController",
    "FaultSpec",
    "install_faults",
    "parse_faults",
]

FAULT_HEADER = "X-Sandbox-Fault"
EXEMPT_PREFIXES = ("/twilio/", "/static/")
MAINTENANCE_RETRY_S = 300


@dataclass(frozen=True)
class FaultSpec:
    latency_ms: float = 0.0
    latency_jitter_ms: float = 0.0
    error_rate: float = 0.0
    expire_sessions_every_s: float | None = None
    maintenance: bool = False
    rate_limit: tuple[int, float] | None = None  # (requests, per seconds)
    slow_render_ms: int = 0

    @property
    def active(self) -> bool:
        return self != FaultSpec()


# ---- parsing -----------------------------------------------------------------------

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min)?\s*$")
_UNIT_S = {"ms": 0.001, "s": 1.0, "m": 60.0, "min": 60.0}


def _duration_s(text: str, default_unit: str = "ms") -> float:
    m = _DURATION.match(text)
    if not m:
        raise ValueError("expected a duration like 800ms, 2s or 1m")
    return float(m.group(1)) * _UNIT_S[m.group(2) or default_unit]


def _latency(value: str, spec: FaultSpec) -> FaultSpec:
    base, jitter = value, ""
    for sep in ("±", "+/-", "+-"):
        if sep in value:
            base, _, jitter = value.partition(sep)
            break
    base_ms = _duration_s(base) * 1000
    jitter_ms = _duration_s(jitter) * 1000 if jitter.strip() else 0.0
    if jitter_ms > base_ms:
        raise ValueError("jitter must not exceed the base latency (e.g. 200ms±100)")
    return replace(spec, latency_ms=base_ms, latency_jitter_ms=jitter_ms)


def _error_rate(value: str, spec: FaultSpec) -> FaultSpec:
    try:
        rate = float(value)
    except ValueError:
        rate = -1.0
    if not 0.0 <= rate <= 1.0:
        raise ValueError("expected a share of requests between 0 and 1, e.g. 0.1")
    return replace(spec, error_rate=rate)


def _expire_every(value: str, spec: FaultSpec) -> FaultSpec:
    seconds = _duration_s(value, default_unit="s")
    if seconds <= 0:
        raise ValueError("expected a positive duration like 60s")
    return replace(spec, expire_sessions_every_s=seconds)


_SWITCH = {"on": True, "true": True, "1": True, "yes": True,
           "off": False, "false": False, "0": False, "no": False}


def _maintenance(value: str, spec: FaultSpec) -> FaultSpec:
    if value.strip().lower() not in _SWITCH:
        raise ValueError("expected on or off")
    return replace(spec, maintenance=_SWITCH[value.strip().lower()])


_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*(?:\.\d+)?)\s*(ms|s|m|min)\s*$")


def _rate_limit(value: str, spec: FaultSpec) -> FaultSpec:
    m = _RATE.match(value)
    if not m or int(m.group(1)) < 1:
        raise ValueError("expected requests per period like 5/s, 100/m or 10/2s")
    per = float(m.group(2) or 1) * _UNIT_S[m.group(3)]
    if per <= 0:
        raise ValueError("expected requests per period like 5/s, 100/m or 10/2s")
    return replace(spec, rate_limit=(int(m.group(1)), per))


def _slow_render(value: str, spec: FaultSpec) -> FaultSpec:
    return replace(spec, slow_render_ms=round(_duration_s(value) * 1000))


#: key → parser; a new fault is one function and one entry here
PARSERS: dict[str, Callable[[str, FaultSpec], FaultSpec]] = {
    "latency": _latency,
    "error_rate": _error_rate,
    "expire_sessions_every": _expire_every,
    "maintenance": _maintenance,
    "rate_limit": _rate_limit,
    "slow_render": _slow_render,
}


def parse_faults(spec: str) -> FaultSpec:
    """Parse a ``--faults`` spec; ``ValueError`` names the offending key and what it expects."""
    result = FaultSpec()
    seen: set[str] = set()
    for item in filter(None, (part.strip() for part in spec.split(","))):
        key, sep, value = (s.strip() for s in item.partition("="))
        if key not in PARSERS:
            known = ", ".join(PARSERS)
            raise ValueError(f"unknown fault {key!r} in {item!r}; known faults: {known}")
        if not sep or not value:
            raise ValueError(f"fault {key!r} needs a value: {key}=<value>")
        if key in seen:
            raise ValueError(f"fault {key!r} is given twice")
        seen.add(key)
        try:
            result = PARSERS[key](value, result)
        except ValueError as exc:
            raise ValueError(f"bad value {value!r} for fault {key!r}: {exc}") from None
    return result


# ---- runtime -----------------------------------------------------------------------


@dataclass
class FaultController:
    """The live fault settings of one app (``app.state.faults``) and their bookkeeping.

    Random choices come from a generator seeded with the sandbox seed, so a faulty run
    is reproducible request by request.
    """

    spec: FaultSpec
    rng: random.Random
    last_expiry: float = field(default_factory=time.time)
    _tokens: float = 0.0
    _refilled: float = field(default_factory=time.monotonic)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def slow_render_ms(self) -> int:
        """How long 2026.1's client-side tables show skeleton rows before rendering."""
        return self.spec.slow_render_ms

    def set(self, spec: str | FaultSpec) -> None:
        """Switch faults at runtime (tests, demos)."""
        self.spec = parse_faults(spec) if isinstance(spec, str) else spec
        self._tokens = float(self.spec.rate_limit[0]) if self.spec.rate_limit else 0.0
        self._refilled = time.monotonic()

    def take_token(self) -> float:
        """0 if the request may pass the rate limit, else seconds until it could."""
        if self.spec.rate_limit is None:
            return 0.0
        limit, per = self.spec.rate_limit
        with self._lock:
            now = time.monotonic()
            self._tokens = min(float(limit), self._tokens + (now - self._refilled) * limit / per)
            self._refilled = now
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return 0.0
            return (1.0 - self._tokens) * per / limit


_ERROR_PAGES = {
    500: "<h1>Server Error</h1><p>An unexpected error occurred. Please try again.</p>",
    502: "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway"
         "</h1></center><hr><center>nginx</center></body></html>",
    503: "<html><head><title>503 Service Temporarily Unavailable</title></head><body><center>"
         "<h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx</center>"
         "</body></html>",
}

_MAINTENANCE_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Scheduled maintenance - Valant</title></head>
<body id="maintenance-page"><h1>Valant is down for scheduled maintenance</h1>
<p>We're making improvements and will be back shortly. Please try again later.</p></body></html>
"""


async def _respond(send: Send, status: int, body: str, headers: dict[str, str],
                   content_type: str = "text/html; charset=utf-8") -> None:
    raw = body.encode()
    all_headers = [(b"content-type", content_type.encode()),
                   (b"content-length", str(len(raw)).encode())]
    all_headers += [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": all_headers})
    await send({"type": "http.response.body", "body": raw})


def _is_api(path: str) -> bool:
    return path.startswith("/api/")


class FaultMiddleware:
    def __init__(self, app: ASGIApp, controller: FaultController,
                 expire_sessions: Callable[[], Any], now: Callable[[], float]) -> None:
        self.app = app
        self.controller = controller
        self.expire_sessions = expire_sessions
        self.now = now

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        spec = self.controller.spec
        path: str = scope.get("path", "")
        if scope["type"] != "http" or not spec.active or path.startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        if spec.maintenance:
            headers = {"Retry-After": str(MAINTENANCE_RETRY_S), FAULT_HEADER: "maintenance"}
            if _is_api(path):
                await _respond(send, 503, '{"error": "maintenance"}', headers,
                               "application/json")
            else:
                await _respond(send, 503, _MAINTENANCE_PAGE, headers)
            return
        wait = self.controller.take_token()
        if wait > 0:
            headers = {"Retry-After": str(max(1, math.ceil(wait))), FAULT_HEADER: "rate_limit"}
            await _respond(send, 429, "Too Many Requests", headers, "text/plain")
            return
        if spec.expire_sessions_every_s is not None:
            await self._maybe_expire(spec.expire_sessions_every_s)
        if spec.latency_ms:
            jitter = self.controller.rng.uniform(-spec.latency_jitter_ms, spec.latency_jitter_ms)
            await asyncio.sleep(max(0.0, spec.latency_ms + jitter) / 1000)
        if spec.error_rate and self.controller.rng.random() < spec.error_rate:
            when = self.controller.rng.choice(("before", "after"))
            status = self.controller.rng.choice((500, 502, 503))
            if when == "after":
                answer: list[Message] = []

                async def keep(message: Message) -> None:
                    answer.append(message)

                await self.app(scope, receive, keep)
                if not _succeeded(answer):
                    # the handler refused (CSRF, validation, no session, …): nothing was
                    # written, so "after it committed" would be a lie. Its own answer goes out.
                    for message in answer:
                        await send(message)
                    return
            await _respond(send, status, _ERROR_PAGES[status], {FAULT_HEADER: when})
            return
        await self.app(scope, receive, send)

    async def _maybe_expire(self, every_s: float) -> None:
        """End every session once per period ("sudden expiry"), on the auth clock."""
        now = self.now()
        if now - self.controller.last_expiry >= every_s:
            self.controller.last_expiry = now
            await run_in_threadpool(self.expire_sessions)


def _succeeded(answer: list[Message]) -> bool:
    """Whether the handler's (dropped) response says it did its work: 2xx, or a redirect
    other than to the sign-in page (a POST that wrote redirects to what it wrote)."""
    start = next((m for m in answer if m["type"] == "http.response.start"), None)
    if start is None:
        return False
    status = int(start["status"])
    if status >= 400:
        return False
    if 300 <= status < 400:
        headers = dict(start.get("headers") or [])
        location = bytes(headers.get(b"location", b"")).decode("latin-1")
        return not location.split("?", 1)[0].endswith("/login")
    return True


def install_faults(app: FastAPI, state: SandboxState) -> FaultController:
    """Add the fault middleware; ``app.state.faults`` is its controller."""
    spec = parse_faults(state.config.faults or "")
    controller = FaultController(spec=spec, rng=random.Random(state.config.seed))
    controller.set(spec)
    app.state.faults = controller

    def runtime() -> AuthRuntime | None:
        rt = getattr(app.state, "auth", None)  # install_auth may run after us
        return rt if isinstance(rt, AuthRuntime) else None

    def now() -> float:
        rt = runtime()
        return rt.now() if rt is not None else time.time()

    def expire_sessions() -> None:
        rt = runtime()
        if rt is not None:
            end_all_sessions(rt, "fault")

    app.add_middleware(FaultMiddleware, controller=controller, expire_sessions=expire_sessions,
                       now=now)
    return controller
