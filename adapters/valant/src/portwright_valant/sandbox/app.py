"""``create_app(config)``: the sandbox portal as a FastAPI application.

Order matters: the request log wraps everything (so it sees faults' statuses), faults
come next (they act before any page), then auth (sessions, login, MFA, SSO), then the
pages and internal JSON endpoints, each guarded by ``require_role``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
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

__all__ = ["create_app"]

_STATIC = Path(__file__).parent / "static"


def create_app(config: SandboxConfig) -> FastAPI:
    """Build (and seed, if new) one sandbox portal for ``config``."""
    db_path = prepare_database(config)
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

    app.add_exception_handler(StarletteHTTPException, on_http_error)
    # added last → outermost: logs every request, including ones faults answered
    app.add_middleware(RequestLogMiddleware, state=state)
    return app
