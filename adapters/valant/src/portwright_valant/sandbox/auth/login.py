"""The portal's sign-in pages: password form, lockout, MFA step, remember-device, logout.

Every outcome a client must tell apart has its own message and markup: wrong password,
locked account, invalid code, expired code, too many codes, expired session.
"""

from __future__ import annotations

import sqlite3

from fastapi import APIRouter, Depends, FastAPI, Form, Request
from starlette.responses import RedirectResponse, Response

from portwright_valant.sandbox.auth import mfa
from portwright_valant.sandbox.auth.devices import DEVICE_COOKIE, is_remembered, remember_device
from portwright_valant.sandbox.auth.guards import optional_user
from portwright_valant.sandbox.auth.mailer import MailDeliveryError
from portwright_valant.sandbox.auth.passwords import verify_password
from portwright_valant.sandbox.auth.runtime import AuthRuntime, runtime_of
from portwright_valant.sandbox.auth.sessions import (
    SESSION_COOKIE,
    clear_session_cookie,
    end_session,
    set_session_cookie,
    start_session,
)
from portwright_valant.sandbox.auth.users import user_by_login
from portwright_valant.sandbox.csrf import verify_csrf
from portwright_valant.sandbox.templating import render

__all__ = [
    "DEFAULT_LANDING", "LOCK_AFTER", "LOCK_S", "complete_login", "install_login", "safe_next",
]

DEFAULT_LANDING = "/dashboard"
LOCK_AFTER = 5
LOCK_S = 15 * 60

NOTICES = {
    "expired": "Your session has expired. Please sign in again.",
    "replaced": "You were signed out because your account signed in somewhere else.",
    "signed_out": "You have signed out.",
    "mfa_expired": "Your sign-in attempt expired. Please sign in again.",
    "too_many": "Too many invalid codes. Please sign in again.",
    "forgot": "Password resets are handled by your practice administrator.",
}

MFA_ERRORS = {
    mfa.Verdict.INVALID: "Invalid code. Check the code and try again.",
    mfa.Verdict.REUSED: "Invalid code: this code was already used. Wait for the next code.",
    mfa.Verdict.CODE_EXPIRED: "Invalid code: this code has expired. Send a new code.",
}


def safe_next(value: str | None) -> str:
    """Only local paths, never back to the sign-in pages (no open redirect)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return DEFAULT_LANDING
    if value.startswith(("/login", "/logout", "/sso/", "/idp/")):
        return DEFAULT_LANDING
    return value


def complete_login(
    rt: AuthRuntime, user_id: int, username: str, via: str, next_url: str,
    remember: bool = False,
) -> RedirectResponse:
    """Start the session and send the browser where it was going."""
    response = RedirectResponse(safe_next(next_url), status_code=303)
    with rt.write() as conn:
        token = start_session(rt, conn, user_id, via)
        if remember:
            remember_device(rt, conn, user_id, response)
        rt.event(conn, username, "login", via)
    set_session_cookie(response, token)
    response.delete_cookie(mfa.MFA_COOKIE, path="/")
    return response


def _lock_state(conn: sqlite3.Connection, user_id: int) -> sqlite3.Row:
    """The account's failure count and lock, read inside the caller's write transaction."""
    row: sqlite3.Row = conn.execute(
        "SELECT failed_attempts, locked_until FROM users WHERE id = ?", (user_id,)).fetchone()
    return row


def _login_page(request: Request, rt: AuthRuntime, *, next_url: str, error: str = "",
                notice: str = "", username: str = "", status_code: int = 200) -> Response:
    return render(request, rt.state, "auth/login.html", status_code=status_code,
                  next=next_url, error=error, notice=notice, username=username)


def _mfa_page(request: Request, rt: AuthRuntime, challenge: mfa.Challenge, *, error: str = "",
              notice: str = "", status_code: int = 200) -> Response:
    return render(request, rt.state, "auth/mfa.html", status_code=status_code,
                  method=challenge.method, destination=challenge.destination,
                  can_resend=mfa.CHANNELS[challenge.method].sends_code,
                  error=error, notice=notice)


def install_login(app: FastAPI) -> None:
    router = APIRouter()

    @router.get("/login")
    def login_form(request: Request, next: str = "", reason: str = "") -> Response:
        rt = runtime_of(request)
        if optional_user(request) is not None:
            return RedirectResponse(safe_next(next), status_code=303)
        return _login_page(request, rt, next_url=safe_next(next), notice=NOTICES.get(reason, ""))

    @router.post("/login", dependencies=[Depends(verify_csrf)])
    def login_submit(
        request: Request,
        username: str = Form(""),
        password: str = Form(""),
        next: str = Form(""),
    ) -> Response:
        rt = runtime_of(request)
        next_url = safe_next(next)
        if not username.strip() or not password:
            missing = "username" if not username.strip() else "password"
            return _login_page(request, rt, next_url=next_url, username=username,
                               error=f"Enter your {missing}.", status_code=422)
        with rt.read() as conn:
            user = user_by_login(conn, username)
        now = rt.now()

        def locked_page(locked_until: float) -> Response:
            minutes = max(1, round((locked_until - now) / 60))
            return _login_page(
                request, rt, next_url=next_url, username=username, status_code=423,
                error=f"Your account is locked after {LOCK_AFTER} failed sign-in attempts. "
                      f"Try again in {minutes} minutes or contact your administrator.")

        if user is not None and user["locked_until"] and user["locked_until"] > now:
            with rt.write() as conn:
                rt.event(conn, user["username"], "login_locked")
            return locked_page(user["locked_until"])
        if user is None or not verify_password(password, user["password_hash"]):
            error = "Invalid username or password."
            if user is not None and user["password_hash"] is None:
                error = "This account signs in with single sign-on. Use “Sign in with SSO”."
            elif user is not None:
                with rt.write() as conn:
                    # counted on the row as it is under the lock: of concurrent wrong
                    # passwords each one counts, so they cannot outrun the lockout
                    current = _lock_state(conn, user["id"])
                    if current["locked_until"] and current["locked_until"] > now:
                        rt.event(conn, user["username"], "login_locked")
                        return locked_page(current["locked_until"])
                    failures = current["failed_attempts"] + 1
                    locked_until = now + LOCK_S if failures >= LOCK_AFTER else None
                    conn.execute(
                        "UPDATE users SET failed_attempts = ?, locked_until = ? WHERE id = ?",
                        (0 if locked_until else failures, locked_until, user["id"]),
                    )
                    rt.event(conn, user["username"],
                             "locked" if locked_until else "login_failed", str(failures))
                if locked_until:
                    error = (f"Your account is locked after {LOCK_AFTER} failed sign-in "
                             "attempts. Try again in 15 minutes or contact your administrator.")
            return _login_page(request, rt, next_url=next_url, username=username,
                               error=error, status_code=401)
        with rt.write() as conn:
            # a concurrent wrong password may have locked the account since it was read
            current = _lock_state(conn, user["id"])
            if current["locked_until"] and current["locked_until"] > now:
                rt.event(conn, user["username"], "login_locked")
                return locked_page(current["locked_until"])
            conn.execute("UPDATE users SET failed_attempts = 0, locked_until = NULL"
                         " WHERE id = ?", (user["id"],))
        if user["mfa_method"] == "none":
            return complete_login(rt, user["id"], user["username"], "password", next_url)
        with rt.read() as conn:
            remembered = is_remembered(rt, conn, request.cookies.get(DEVICE_COOKIE), user["id"])
        if remembered:
            return complete_login(rt, user["id"], user["username"], "device", next_url)
        token = mfa.begin_challenge(rt, user, next_url)
        response = RedirectResponse("/login/mfa", status_code=303)
        response.set_cookie(mfa.MFA_COOKIE, token, httponly=True, samesite="lax", path="/",
                            max_age=mfa.CHALLENGE_TTL_S)
        challenge = mfa.load_challenge(rt, token)
        if challenge is not None:
            try:
                mfa.resend_code(rt, challenge)
            except MailDeliveryError:
                response.headers["location"] = "/login/mfa?delivery=failed"
        return response

    @router.get("/login/mfa")
    def mfa_form(request: Request, resent: str = "", delivery: str = "") -> Response:
        rt = runtime_of(request)
        challenge = mfa.load_challenge(rt, request.cookies.get(mfa.MFA_COOKIE))
        if challenge is None:
            return RedirectResponse("/login?reason=mfa_expired", status_code=303)
        error = ("We could not send your code. Send a new code to try again."
                 if delivery == "failed" else "")
        notice = "We sent you a new code." if resent else ""
        return _mfa_page(request, rt, challenge, error=error, notice=notice)

    @router.post("/login/mfa", dependencies=[Depends(verify_csrf)])
    def mfa_submit(request: Request, code: str = Form(""), remember: str = Form("")) -> Response:
        rt = runtime_of(request)
        challenge = mfa.load_challenge(rt, request.cookies.get(mfa.MFA_COOKIE))
        if challenge is None:
            return RedirectResponse("/login?reason=mfa_expired", status_code=303)
        if not code.strip():
            return _mfa_page(request, rt, challenge, error="Enter the 6-digit code.",
                             status_code=422)
        verdict = mfa.verify_code(rt, challenge, code)
        if verdict is mfa.Verdict.OK:
            return complete_login(rt, challenge.user_id, challenge.username,
                                  f"mfa:{challenge.method}", challenge.next_url,
                                  remember=bool(remember))
        if verdict in (mfa.Verdict.TOO_MANY, mfa.Verdict.NO_CHALLENGE):
            reason = "too_many" if verdict is mfa.Verdict.TOO_MANY else "mfa_expired"
            response = RedirectResponse(f"/login?reason={reason}", status_code=303)
            response.delete_cookie(mfa.MFA_COOKIE, path="/")
            return response
        return _mfa_page(request, rt, challenge, error=MFA_ERRORS[verdict], status_code=401)

    @router.post("/login/mfa/resend", dependencies=[Depends(verify_csrf)])
    def mfa_resend(request: Request) -> Response:
        rt = runtime_of(request)
        challenge = mfa.load_challenge(rt, request.cookies.get(mfa.MFA_COOKIE))
        if challenge is None:
            return RedirectResponse("/login?reason=mfa_expired", status_code=303)
        try:
            mfa.resend_code(rt, challenge)
        except MailDeliveryError:
            return RedirectResponse("/login/mfa?delivery=failed", status_code=303)
        return RedirectResponse("/login/mfa?resent=1", status_code=303)

    @router.post("/logout", dependencies=[Depends(verify_csrf)])
    def logout(request: Request) -> Response:
        rt = runtime_of(request)
        end_session(rt, request.cookies.get(SESSION_COOKIE), "logout")
        response = RedirectResponse("/login?reason=signed_out", status_code=303)
        clear_session_cookie(response)
        return response

    app.include_router(router)
