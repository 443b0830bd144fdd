"""The sandbox identity provider ("Northwind ID"), served by the same app under ``/idp``.

An OIDC-style authorization-code provider with its own look, its own password form and
its own TOTP step. ``/idp/authorize`` starts a request (or answers at once when the
browser already has an IdP session), the login and MFA pages complete it, and the
browser returns to the client's ``redirect_uri`` with a single-use ``code``. Clients
exchange the code server-side: ``POST /idp/token``, or ``exchange_code`` in-process.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import sqlite3
from dataclasses import dataclass
from urllib.parse import urlencode, urlparse

from fastapi import APIRouter, Depends, FastAPI, Form, Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from portwright_valant.sandbox.auth import totp
from portwright_valant.sandbox.auth.passwords import verify_password
from portwright_valant.sandbox.auth.runtime import AuthRuntime, digest, runtime_of
from portwright_valant.sandbox.csrf import verify_csrf
from portwright_valant.sandbox.templating import render

__all__ = [
    "CLIENT_ID",
    "CLIENT_SECRET",
    "CODE_TTL_S",
    "IDP_SESSION_COOKIE",
    "CodeRejected",
    "Identity",
    "exchange_code",
    "install_idp",
]

CLIENT_ID = "valant-portal"
CLIENT_SECRET = "sandbox-sso-client-secret"
CALLBACK_PATH = "/sso/callback"
CODE_TTL_S = 60
REQUEST_TTL_S = 10 * 60
IDP_SESSION_COOKIE = "nw_idp_session"


class CodeRejected(Exception):
    """An authorization code that is unknown, expired, already used or for another client."""


@dataclass(frozen=True)
class Identity:
    subject: str
    username: str
    display_name: str
    email: str


def _redirect_allowed(request: Request, redirect_uri: str) -> bool:
    """The one registered client: the portal's own ``/sso/callback`` on this host."""
    target = urlparse(redirect_uri)
    return (target.scheme in ("http", "https") and target.path == CALLBACK_PATH
            and target.netloc == request.url.netloc)


def _issue_code(rt: AuthRuntime, conn: sqlite3.Connection, idp_user_id: int, client_id: str,
                redirect_uri: str, nonce: str | None) -> str:
    code = secrets.token_urlsafe(24)
    now = rt.now()
    conn.execute(
        "INSERT INTO idp_codes (id, idp_user_id, client_id, redirect_uri, nonce, created_at,"
        " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (digest(code), idp_user_id, client_id, redirect_uri, nonce, now, now + CODE_TTL_S),
    )
    return code


def _back_to_client(redirect_uri: str, **params: str) -> RedirectResponse:
    sep = "&" if "?" in redirect_uri else "?"
    return RedirectResponse(f"{redirect_uri}{sep}{urlencode(params)}", status_code=303)


def exchange_code(rt: AuthRuntime, code: str, client_id: str, client_secret: str,
                  redirect_uri: str) -> Identity:
    """Redeem a code once; raises ``CodeRejected`` saying why."""
    if client_id != CLIENT_ID or not hmac.compare_digest(client_secret, CLIENT_SECRET):
        raise CodeRejected("invalid_client")
    now = rt.now()
    with rt.write() as conn:
        row = conn.execute(
            "SELECT c.*, u.subject, u.username, u.display_name, u.email FROM idp_codes c"
            " JOIN idp_users u ON u.id = c.idp_user_id WHERE c.id = ?",
            (digest(code),),
        ).fetchone()
        if row is None:
            raise CodeRejected("invalid_grant: unknown code")
        if row["used_at"] is not None:
            raise CodeRejected("invalid_grant: code already used")
        if row["expires_at"] <= now:
            raise CodeRejected("invalid_grant: code expired")
        if row["client_id"] != client_id or row["redirect_uri"] != redirect_uri:
            raise CodeRejected("invalid_grant: code issued to another client or redirect_uri")
        conn.execute("UPDATE idp_codes SET used_at = ? WHERE id = ?", (now, row["id"]))
    return Identity(row["subject"], row["username"], row["display_name"], row["email"])


def _id_token(identity: Identity, issuer: str, now: float) -> str:
    """An HS256-signed JWT with the client secret, as OIDC allows for confidential clients."""
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = b64(json.dumps({
        "iss": issuer, "aud": CLIENT_ID, "sub": identity.subject, "email": identity.email,
        "name": identity.display_name, "iat": int(now), "exp": int(now) + 300,
    }).encode())
    sig = hmac.new(CLIENT_SECRET.encode(), f"{header}.{claims}".encode(), hashlib.sha256)
    return f"{header}.{claims}.{b64(sig.digest())}"


def _load_request(rt: AuthRuntime, request_id: str) -> sqlite3.Row | None:
    with rt.read() as conn:
        row: sqlite3.Row | None = conn.execute(
            "SELECT * FROM idp_requests WHERE id = ?", (request_id,)
        ).fetchone()
    if row is None or row["completed_at"] is not None:
        return None
    if rt.now() - row["created_at"] > REQUEST_TTL_S:
        return None
    return row


def _error_page(request: Request, rt: AuthRuntime, message: str, status: int = 400) -> Response:
    return render(request, rt.state, "idp/error.html", status_code=status, message=message)


def install_idp(app: FastAPI) -> None:
    router = APIRouter(prefix="/idp")

    @router.get("/.well-known/openid-configuration")
    def discovery(request: Request) -> JSONResponse:
        base = str(request.base_url).rstrip("/") + "/idp"
        return JSONResponse({
            "issuer": base,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["HS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        })

    @router.get("/authorize")
    def authorize(request: Request, client_id: str = "", redirect_uri: str = "",
                  response_type: str = "", state: str = "", nonce: str = "") -> Response:
        rt = runtime_of(request)
        if client_id != CLIENT_ID:
            return _error_page(request, rt, "Unknown application (client_id).")
        if not _redirect_allowed(request, redirect_uri):
            return _error_page(request, rt, "The redirect_uri is not registered for this app.")
        if response_type != "code" or not state:
            return _back_to_client(redirect_uri, error="invalid_request", state=state)
        token = request.cookies.get(IDP_SESSION_COOKIE)
        with rt.write() as conn:
            if token:
                row = conn.execute("SELECT idp_user_id FROM idp_sessions WHERE id = ?",
                                   (digest(token),)).fetchone()
                if row is not None:
                    code = _issue_code(rt, conn, row["idp_user_id"], client_id, redirect_uri,
                                       nonce or None)
                    return _back_to_client(redirect_uri, code=code, state=state)
            request_id = secrets.token_urlsafe(16)
            conn.execute(
                "INSERT INTO idp_requests (id, client_id, redirect_uri, state, nonce, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (request_id, client_id, redirect_uri, state, nonce or None, rt.now()),
            )
        return RedirectResponse(f"/idp/login?{urlencode({'request_id': request_id})}",
                                status_code=303)

    @router.get("/login")
    def idp_login_form(request: Request, request_id: str = "") -> Response:
        rt = runtime_of(request)
        if _load_request(rt, request_id) is None:
            return _error_page(request, rt, "This sign-in request has expired. Start again "
                                            "from your application.")
        return render(request, rt.state, "idp/login.html", request_id=request_id,
                      error="", username="")

    @router.post("/login", dependencies=[Depends(verify_csrf)])
    def idp_login_submit(request: Request, request_id: str = Form(""), username: str = Form(""),
                         password: str = Form("")) -> Response:
        rt = runtime_of(request)
        if _load_request(rt, request_id) is None:
            return _error_page(request, rt, "This sign-in request has expired. Start again "
                                            "from your application.")
        with rt.read() as conn:
            user = conn.execute("SELECT * FROM idp_users WHERE lower(username) = lower(?)",
                                (username.strip(),)).fetchone()
        if user is None or not verify_password(password, user["password_hash"]):
            return render(request, rt.state, "idp/login.html", status_code=401,
                          request_id=request_id, username=username,
                          error="We don't recognize that username and password.")
        with rt.write() as conn:
            conn.execute("UPDATE idp_requests SET idp_user_id = ? WHERE id = ?",
                         (user["id"], request_id))
        return RedirectResponse(f"/idp/mfa?{urlencode({'request_id': request_id})}",
                                status_code=303)

    @router.get("/mfa")
    def idp_mfa_form(request: Request, request_id: str = "") -> Response:
        rt = runtime_of(request)
        req = _load_request(rt, request_id)
        if req is None or req["idp_user_id"] is None:
            return _error_page(request, rt, "This sign-in request has expired. Start again "
                                            "from your application.")
        return render(request, rt.state, "idp/mfa.html", request_id=request_id, error="")

    @router.post("/mfa", dependencies=[Depends(verify_csrf)])
    def idp_mfa_submit(request: Request, request_id: str = Form(""),
                       code: str = Form("")) -> Response:
        rt = runtime_of(request)
        req = _load_request(rt, request_id)
        if req is None or req["idp_user_id"] is None:
            return _error_page(request, rt, "This sign-in request has expired. Start again "
                                            "from your application.")
        with rt.write() as conn:
            user = conn.execute("SELECT * FROM idp_users WHERE id = ?",
                                (req["idp_user_id"],)).fetchone()
            step = totp.matching_step(user["totp_secret"], code)
            if step is None or step <= user["totp_last_step"]:
                error = ("That code was already used. Wait for a new code."
                         if step is not None else "Invalid code. Try again.")
                return render(request, rt.state, "idp/mfa.html", status_code=401,
                              request_id=request_id, error=error)
            conn.execute("UPDATE idp_users SET totp_last_step = ? WHERE id = ?",
                         (step, user["id"]))
            conn.execute("UPDATE idp_requests SET completed_at = ? WHERE id = ?",
                         (rt.now(), request_id))
            session = secrets.token_urlsafe(32)
            conn.execute("INSERT INTO idp_sessions (id, idp_user_id, created_at)"
                         " VALUES (?, ?, ?)", (digest(session), user["id"], rt.now()))
            code_out = _issue_code(rt, conn, user["id"], req["client_id"], req["redirect_uri"],
                                   req["nonce"])
        response = _back_to_client(req["redirect_uri"], code=code_out, state=req["state"])
        response.set_cookie(IDP_SESSION_COOKIE, session, httponly=True, samesite="lax",
                            path="/idp")
        return response

    @router.post("/token")
    async def token_endpoint(request: Request) -> JSONResponse:
        rt = runtime_of(request)
        form = await request.form()
        fields = {k: str(form.get(k) or "") for k in
                  ("grant_type", "code", "redirect_uri", "client_id", "client_secret")}
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("basic "):
            try:
                cid, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
                fields["client_id"], fields["client_secret"] = cid, secret
            except ValueError:
                return JSONResponse({"error": "invalid_client"}, status_code=401)
        if fields["grant_type"] != "authorization_code":
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
        try:
            identity = exchange_code(rt, fields["code"], fields["client_id"],
                                     fields["client_secret"], fields["redirect_uri"])
        except CodeRejected as exc:
            kind, _, detail = str(exc).partition(": ")
            return JSONResponse({"error": kind, "error_description": detail},
                                status_code=401 if kind == "invalid_client" else 400)
        issuer = str(request.base_url).rstrip("/") + "/idp"
        return JSONResponse({
            "access_token": secrets.token_urlsafe(24), "token_type": "Bearer",
            "expires_in": 300, "id_token": _id_token(identity, issuer, rt.now()),
        }, headers={"Cache-Control": "no-store"})

    app.include_router(router)
