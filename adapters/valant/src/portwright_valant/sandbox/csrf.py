"""CSRF tokens for every form: a double-submit token bound to a per-browser cookie.

The portal sets a random ``vl_csrf`` cookie once; each rendered form carries an HMAC of
it as a hidden ``csrf_token`` field. A POST whose field does not match its cookie is
refused with 403, as the real portal refuses a replayed or forged form. Adapters must
therefore read the token from the page they are on, never invent one.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import HTTPException, Request
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.responses import Response
from starlette.types import ASGIApp

__all__ = ["COOKIE", "FIELD", "CsrfCookieMiddleware", "csrf_token", "verify_csrf"]

COOKIE = "vl_csrf"
FIELD = "csrf_token"
_SECRET = secrets.token_bytes(32)


def _sign(cookie_value: str) -> str:
    return hmac.new(_SECRET, cookie_value.encode(), hashlib.sha256).hexdigest()


def _cookie_value(request: Request) -> str:
    """The browser's CSRF cookie, or a new one the middleware will set on the response."""
    existing = getattr(request.state, "csrf_cookie", None)
    if isinstance(existing, str):
        return existing
    value = request.cookies.get(COOKIE) or secrets.token_urlsafe(24)
    request.state.csrf_cookie = value
    return value


def csrf_token(request: Request) -> str:
    """The token to embed in a form rendered for this request."""
    return _sign(_cookie_value(request))


async def verify_csrf(request: Request) -> None:
    """Refuse the POST unless its ``csrf_token`` field matches the browser's cookie.

    Accepts the token from the form body or an ``X-CSRF-Token`` header (JSON calls).
    """
    cookie = request.cookies.get(COOKIE)
    sent = request.headers.get("x-csrf-token")
    if sent is None:
        content_type = request.headers.get("content-type", "")
        if "form" in content_type:
            form = await request.form()
            value = form.get(FIELD)
            sent = value if isinstance(value, str) else None
    if not cookie or not sent or not hmac.compare_digest(sent, _sign(cookie)):
        raise HTTPException(status_code=403, detail="CSRF token missing or invalid")


class CsrfCookieMiddleware(BaseHTTPMiddleware):
    """Sets the CSRF cookie on any response whose request created a new one."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app)

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        new = getattr(request.state, "csrf_cookie", None)
        if isinstance(new, str) and request.cookies.get(COOKIE) != new:
            response.set_cookie(COOKIE, new, httponly=True, samesite="lax", path="/")
        return response
