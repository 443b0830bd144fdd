"""FastAPI dependencies that guard pages: ``current_user`` and ``require_role``.

Without a live session a page redirects (303) to ``/login?next=<path>`` — with
``reason=expired`` when the session timed out, so the login page can say so and a
client can tell expiry from a plain logout — while ``/api/...`` answers 401 JSON.
A signed-in user without the right role gets a 403 page.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from portwright_valant.sandbox.auth.roles import role_allows
from portwright_valant.sandbox.auth.runtime import runtime_of
from portwright_valant.sandbox.auth.sessions import SESSION_COOKIE, Resolution, resolve_session
from portwright_valant.sandbox.auth.users import User

__all__ = [
    "Forbidden",
    "LoginRequired",
    "current_user",
    "install_guard_handlers",
    "optional_user",
    "require_role",
]


class LoginRequired(Exception):
    """Raised by ``current_user``; turned into a redirect or a 401 by the handler below."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Forbidden(Exception):
    def __init__(self, user: User, allowed: frozenset[str]) -> None:
        super().__init__(f"{user.role} may not open this page")
        self.user = user
        self.allowed = allowed


def _resolve(request: Request) -> Resolution:
    """Resolve the session once per request (routers and routes may both ask)."""
    cached = getattr(request.state, "auth_resolution", None)
    if isinstance(cached, Resolution):
        return cached
    res = resolve_session(runtime_of(request), request.cookies.get(SESSION_COOKIE))
    request.state.auth_resolution = res
    if res.user is not None:
        request.state.user = res.user
    return res


def optional_user(request: Request) -> User | None:
    """The signed-in user or None (pages like the login form that work either way)."""
    return _resolve(request).user


def current_user(request: Request) -> User:
    """The signed-in user; sets ``request.state.user`` for templates."""
    res = _resolve(request)
    if res.user is None:
        raise LoginRequired(res.reason)
    request.state.user = res.user
    return res.user


def require_role(*roles: str) -> Callable[..., User]:
    """A dependency admitting ``roles`` (and admin); others get 403."""
    allowed = frozenset(roles)

    def dependency(user: User = Depends(current_user)) -> User:  # noqa: B008
        if not role_allows(user.role, allowed):
            raise Forbidden(user, allowed)
        return user

    return dependency


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def login_redirect(request: Request, reason: str) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    params = {"next": target}
    if reason in ("expired", "replaced", "fault"):
        params["reason"] = "expired" if reason == "fault" else reason
    return RedirectResponse(f"/login?{urlencode(params)}", status_code=303)


def install_guard_handlers(app: FastAPI) -> None:
    from portwright_valant.sandbox.templating import render

    async def on_login_required(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LoginRequired)
        if _wants_json(request):
            return JSONResponse(
                {"error": "not_authenticated", "reason": exc.reason,
                 "detail": "Sign in to use this endpoint."},
                status_code=401,
            )
        return login_redirect(request, exc.reason)

    async def on_forbidden(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Forbidden)
        if _wants_json(request):
            return JSONResponse(
                {"error": "forbidden", "role": exc.user.role, "allowed": sorted(exc.allowed)},
                status_code=403,
            )
        request.state.user = exc.user
        return render(request, runtime_of(request).state, "auth/forbidden.html",
                      status_code=403, allowed=sorted(exc.allowed))

    app.add_exception_handler(LoginRequired, on_login_required)
    app.add_exception_handler(Forbidden, on_forbidden)
