"""``create_app(config)``: the sandbox portal as a FastAPI application.

Order matters: the request log wraps everything (so it sees faults' statuses), faults
come next (they act before any page), then auth (sessions, login, MFA, SSO), then the
pages and internal JSON endpoints, each guarded by ``require_role``.

A parameter FastAPI refuses (``limit=abc``, ``page=0``, a missing ``q``) is answered
like the portal's own refusals, never with FastAPI's ``{"detail": [...]}``: 400
``{error, field, reason}`` under ``/api/`` (``field`` as the client named it), the
error page (400) elsewhere.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response

from portwright_valant.sandbox.api import api_routers
from portwright_valant.sandbox.auth import install_auth
from portwright_valant.sandbox.config import SandboxConfig
from portwright_valant.sandbox.csrf import CsrfCookieMiddleware
from portwright_valant.sandbox.database import prepare_database
from portwright_valant.sandbox.faults import install_faults
from portwright_valant.sandbox.pages import routers
from portwright_valant.sandbox.request_log import RequestLogMiddleware
from portwright_valant.sandbox.state import SandboxState
from portwright_valant.sandbox.templating import render

__all__ = ["create_app", "invalid_parameter"]

_STATIC = Path(__file__).parent / "static"


def invalid_parameter(exc: RequestValidationError) -> tuple[str, str]:
    """The first refused parameter, named as the request named it (FastAPI reports the
    alias), and the reason in a person's words."""
    error: dict[str, Any] = dict(exc.errors()[0])
    loc = [str(part) for part in error.get("loc", ())]
    field = loc[-1] if loc else "request"
    ctx: dict[str, Any] = error.get("ctx") or {}
    kind = str(error.get("type", ""))
    reasons = {
        "missing": f"{field} is required",
        "int_parsing": f"{field} must be a whole number",
        "int_from_float": f"{field} must be a whole number",
        "int_type": f"{field} must be a whole number",
        "greater_than_equal": f"{field} must be at least {ctx.get('ge')}",
        "greater_than": f"{field} must be greater than {ctx.get('gt')}",
        "less_than_equal": f"{field} must be at most {ctx.get('le')}",
        "less_than": f"{field} must be less than {ctx.get('lt')}",
        "string_too_short": (f"{field} must not be empty" if ctx.get("min_length") == 1
                             else f"{field} must be at least {ctx.get('min_length')} "
                                  "characters"),
        "string_too_long": f"{field} must be at most {ctx.get('max_length')} characters",
    }
    return field, reasons.get(kind, f"{field}: {error.get('msg', 'invalid value')}")


def create_app(config: SandboxConfig) -> FastAPI:
    """Build (and seed, if new) one sandbox portal for ``config``.

    Without ``config.db_path`` the database is a temporary one the caller removes (its
    folder is ``app.state.sandbox.db_path.parent``); if building the app fails or is
    interrupted (the first build imports for seconds) it is removed here.
    """
    db_path = prepare_database(config)
    try:
        return _build_app(config, db_path)
    except BaseException:
        if config.db_path is None:
            shutil.rmtree(db_path.parent, ignore_errors=True)
        raise


def _build_app(config: SandboxConfig, db_path: Path) -> FastAPI:
    state = SandboxState(config=config, db_path=db_path, request_log=[], sms_outbox=[])
    app = FastAPI(title="Valant sandbox", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.sandbox = state
    app.mount("/static", StaticFiles(directory=_STATIC), name="static")
    app.add_middleware(CsrfCookieMiddleware)
    install_faults(app, state)
    install_auth(app, state)
    for router in routers():
        app.include_router(router)
    for router in api_routers():
        app.include_router(router)

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse("/dashboard", status_code=303)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> JSONResponse:
        return JSONResponse({"ok": True, "appVersion": config.app_version})

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code,
                                headers=exc.headers)
        return render(request, state, "error.html", status_code=exc.status_code,
                      message=str(exc.detail), code=exc.status_code)

    async def on_invalid_parameter(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        field, reason = invalid_parameter(exc)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "invalid_parameter", "field": field,
                                 "reason": reason}, status_code=400)
        return render(request, state, "error.html", status_code=400,
                      message=f"Invalid address: {reason}.", code=400)

    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_invalid_parameter)
    # added last → outermost: logs every request, including ones faults answered
    app.add_middleware(RequestLogMiddleware, state=state)
    return app
