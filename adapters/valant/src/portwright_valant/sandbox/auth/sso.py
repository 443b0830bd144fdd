"""The portal's side of single sign-on: ``/sso/start`` and ``/sso/callback``.

``start`` remembers where the user was going under a random ``state`` (in the database
and in a cookie bound to this browser) and sends the browser to the IdP. ``callback``
accepts the answer only for that state, once, then redeems the code server-side and
signs in the portal account linked to the IdP subject.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Request
from starlette.responses import RedirectResponse, Response

from portwright_valant.sandbox.auth.idp import (
    CALLBACK_PATH,
    CLIENT_ID,
    CLIENT_SECRET,
    CodeRejected,
    exchange_code,
)
from portwright_valant.sandbox.auth.login import complete_login, safe_next
from portwright_valant.sandbox.auth.runtime import AuthRuntime, runtime_of
from portwright_valant.sandbox.templating import render

__all__ = ["SSO_STATE_COOKIE", "install_sso"]

SSO_STATE_COOKIE = "vl_sso_state"
STATE_TTL_S = 10 * 60


def _callback_url(request: Request) -> str:
    return str(request.base_url).rstrip("/") + CALLBACK_PATH


def _sso_error(request: Request, rt: AuthRuntime, message: str, status: int) -> Response:
    response = render(request, rt.state, "auth/sso_error.html", status_code=status,
                      message=message)
    response.delete_cookie(SSO_STATE_COOKIE, path="/sso")
    return response


def install_sso(app: FastAPI) -> None:
    router = APIRouter(prefix="/sso")

    @router.get("/start")
    def sso_start(request: Request, next: str = "") -> Response:
        rt = runtime_of(request)
        state = secrets.token_urlsafe(24)
        with rt.write() as conn:
            conn.execute("INSERT INTO sso_states (state, next_url, created_at) VALUES (?, ?, ?)",
                         (state, safe_next(next), rt.now()))
        params = {"response_type": "code", "client_id": CLIENT_ID, "scope": "openid email",
                  "redirect_uri": _callback_url(request), "state": state,
                  "nonce": secrets.token_urlsafe(12)}
        response = RedirectResponse(f"/idp/authorize?{urlencode(params)}", status_code=303)
        response.set_cookie(SSO_STATE_COOKIE, state, httponly=True, samesite="lax",
                            path="/sso", max_age=STATE_TTL_S)
        return response

    @router.get("/callback")
    def sso_callback(request: Request, code: str = "", state: str = "",
                     error: str = "") -> Response:
        rt = runtime_of(request)
        cookie = request.cookies.get(SSO_STATE_COOKIE, "")
        if not state or not cookie or not hmac.compare_digest(state, cookie):
            return _sso_error(request, rt, "This single sign-on response does not belong to "
                                           "this browser. Start again.", 400)
        now = rt.now()
        with rt.write() as conn:
            row = conn.execute("SELECT * FROM sso_states WHERE state = ?", (state,)).fetchone()
            if row is None or row["used_at"] is not None or now - row["created_at"] > STATE_TTL_S:
                return _sso_error(request, rt, "This single sign-on response was already used "
                                               "or has expired. Start again.", 400)
            conn.execute("UPDATE sso_states SET used_at = ? WHERE state = ?", (now, state))
        if error or not code:
            return _sso_error(request, rt, f"The identity provider refused the sign-in "
                                           f"({error or 'no code'}).", 400)
        try:
            identity = exchange_code(rt, code, CLIENT_ID, CLIENT_SECRET, _callback_url(request))
        except CodeRejected as exc:
            return _sso_error(request, rt, f"Single sign-on failed: {exc}.", 400)
        with rt.read() as conn:
            user = conn.execute("SELECT id, username FROM users WHERE sso_subject = ?",
                                (identity.subject,)).fetchone()
        if user is None:
            return _sso_error(request, rt, "No Valant account is linked to this identity. "
                                           "Ask your administrator.", 403)
        response = complete_login(rt, user["id"], user["username"], "sso", row["next_url"])
        response.delete_cookie(SSO_STATE_COOKIE, path="/sso")
        return response

    app.include_router(router)
